"""Decides whether identity-based policies allow an action on a resource, for the checks moto
does not make (with IAM enforcement off it applies no policy to identity pool credentials).

It follows IAM's evaluation logic
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html) for
the statements the image server writes: an explicit Deny wins, else an Allow whose Action and
Resource match (`*` and `?` wildcards, policy variables such as
`${cognito-identity.amazonaws.com:sub}` replaced,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html), else the
implicit deny. Never more lenient than IAM: an Allow with a Condition, NotAction or NotResource
is not applied (this checker does not evaluate them), and a Deny with one is."""

import fnmatch
import re


def _listed(value):
    return value if isinstance(value, list) else [value]


def _matches(patterns, value, case_sensitive):
    for pattern in patterns:
        translated = fnmatch.translate(pattern)
        if re.match(translated, value, 0 if case_sensitive else re.IGNORECASE):
            return True
    return False


def _substitute(resource, variables):
    def replace(match):
        name = match.group(1)
        if name not in variables:
            raise ValueError(f"no value for the policy variable {name}")
        return variables[name]
    return re.sub(r"\$\{([^}]+)\}", replace, resource)


def allows(documents, action, resource, variables):
    """True when the policy documents (dicts) allow `action` (`s3:DeleteObject`) on `resource` (an ARN)."""
    allowed = False
    for document in documents:
        for statement in _listed(document.get("Statement", [])):
            unsupported = any(key in statement for key in ("Condition", "NotAction", "NotResource"))
            actions = _listed(statement.get("Action", []))
            resources = [_substitute(pattern, variables) for pattern in _listed(statement.get("Resource", []))]
            if statement.get("Effect") == "Deny":
                if unsupported or (_matches(actions, action, False) and _matches(resources, resource, True)):
                    return False
            elif not unsupported and _matches(actions, action, False) and _matches(resources, resource, True):
                allowed = True
    return allowed
