"""The top-level input members of a request, read from where its botocore model puts them.

The enforcing proxy hands them to the emulator's authorizer (`iam_authorization.py`), which
needs the names a call acts on (a bucket and key, a KMS key id, a role name) to build the ARNs
AWS authorizes. Scalars are strings; a structure or list member is the decoded JSON value for
JSON protocols and True for query protocols (only its presence is read); S3's DeleteObjects
body is read into `Delete` as a list of {"Key", "VersionId"}.
"""

import json
import re
import urllib.parse
import xml.etree.ElementTree as ElementTree


def parameters(model, operation_name, request):
    """Returns {member name: value} for `request`, a call of `operation_name` of `model`."""
    if model is None:
        return {}
    try:
        operation = model.operation_model(operation_name)
    except Exception:
        return {}
    protocol = model.protocol
    # A query call by its form: botocore may model the service with a newer protocol
    # (CloudWatch's is CBOR) while the AWS query protocol is still served.
    if protocol in ("query", "ec2") or request.form_value("Action") or request.query_value("Action"):
        return query_parameters(request)
    if protocol == "json":
        return json_body(request.body)
    found = {}
    shape = operation.input_shape
    if shape is None:
        return found
    labels = uri_labels(operation.http["requestUri"], request.raw_path)
    query = dict(urllib.parse.parse_qsl(request.raw_query, keep_blank_values=True))
    headers = {name.lower(): value for name, value in request.headers.items()}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri" and wire in labels:
            found[name] = labels[wire]
        elif location == "querystring" and wire in query:
            found[name] = query[wire]
        elif location == "header" and wire.lower() in headers:
            found[name] = headers[wire.lower()]
    if protocol == "rest-json":
        found.update({key: value for key, value in json_body(request.body).items() if key not in found})
    elif operation_name == "DeleteObjects":
        found["Delete"] = deleted_objects(request.body)
    elif protocol == "rest-xml" and request.body:
        # The Lambda@Edge functions a CloudFront distribution configuration names.
        found["LambdaFunctionARNs"] = re.findall(rb"<LambdaFunctionARN>([^<]+)</LambdaFunctionARN>", request.body)
        found["LambdaFunctionARNs"] = [value.decode() for value in found["LambdaFunctionARNs"]]
        # The web ACL it names, if any.
        found["WebACLIds"] = [value.decode() for value in re.findall(rb"<WebACLId>([^<]+)</WebACLId>", request.body)]
    return found


def query_parameters(request):
    """Action=…&RoleName=…: scalars by name; a list of scalars (`AlarmNames.member.1=…`, EC2's
    `ResourceId.1=…`) as a list; any other structure (`Tags.member.1.Key`) as True, marking it
    present, and each of its scalars also under its whole dotted key
    (`Tags.member.1.ResourceId`, `LaunchTemplate.LaunchTemplateId`)."""
    text = request.body.decode("utf-8", "replace") if request.body else request.raw_query
    found = {}
    for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
        parts = key.split(".")
        if len(parts) == 1:
            found[key] = value
        elif parts[-1].isdigit() and parts[1:-1] in ([], ["member"]) and isinstance(found.get(parts[0], []), list):
            found.setdefault(parts[0], []).append(value)
        else:
            found[parts[0]] = True
            found[key] = value
    return found


def json_body(body):
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def uri_labels(request_uri, raw_path):
    """{label: decoded value} of a requestUri template (`/{Bucket}/{Key+}`) matched on the path."""
    template = request_uri.partition("?")[0]
    names, regex = [], ""
    for literal, label in re.findall(r"([^{]*)(\{[^}]*\})?", template):
        regex += re.escape(literal)
        if label:
            names.append(label.strip("{}").rstrip("+"))
            regex += "(.+)" if label.endswith("+}") else "([^/]+)"
    match = re.match("^" + regex.rstrip("/") + "/?$", raw_path)
    if not match:
        return {}
    return {name: urllib.parse.unquote(value) for name, value in zip(names, match.groups())}


def deleted_objects(body):
    """The keys (and versions) of a DeleteObjects request's `<Delete>` body."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return []
    objects = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] != "Object":
            continue
        fields = {child.tag.rsplit("}", 1)[-1]: child.text for child in element}
        objects.append({"Key": fields.get("Key", ""), "VersionId": fields.get("VersionId")})
    return objects
