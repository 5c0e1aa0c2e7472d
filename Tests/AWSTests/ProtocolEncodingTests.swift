import XCTest
@testable import AWS

/// Request encoding per protocol, with member names and locations as botocore's service
/// models give them.
final class ProtocolEncodingTests: XCTestCase {
    func testQueryRequestIsFormPostWithActionVersionAndFlattenedMembers() async throws {
        let transport = ScriptedTransport(body: "<CreateRoleResponse><CreateRoleResult><Role><Arn>arn:aws:iam::1:role/r</Arn></Role></CreateRoleResult></CreateRoleResponse>")
        let client = scriptedClient(transport)
        var parameters: QueryParameters = ["RoleName": "r", "AssumeRolePolicyDocument": "{\"a\": \"b c\"}"]
        parameters.addList("Tags", structures: [["Key": "team", "Value": "img & co"], ["Key": "env", "Value": "prod"]])
        let result = try await client.query(.iam, "CreateRole", parameters)

        XCTAssertEqual(result.string("Role/Arn"), "arn:aws:iam::1:role/r")
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url.absoluteString, "http://127.0.0.1:5000/")
        XCTAssertEqual(request.headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8")
        XCTAssertEqual(request.formParameters, [
            "Action": "CreateRole", "Version": "2010-05-08", "RoleName": "r", "AssumeRolePolicyDocument": "{\"a\": \"b c\"}",
            "Tags.member.1.Key": "team", "Tags.member.1.Value": "img & co", "Tags.member.2.Key": "env", "Tags.member.2.Value": "prod",
        ])
        XCTAssertTrue(String(decoding: request.body, as: UTF8.self).hasPrefix("Action=CreateRole&Version=2010-05-08&"))
        XCTAssertTrue(String(decoding: request.body, as: UTF8.self).contains("img%20%26%20co"))
    }

    func testQueryMapsAndScalarListsFlattenLikeBotocore() {
        var parameters = QueryParameters()
        parameters.addMap("Attributes", ["Policy": "p", "DisplayName": "d"])
        parameters.addList("ClientIDList", ["sts.amazonaws.com"])
        XCTAssertEqual(parameters.values, [
            "Attributes.entry.1.key": "DisplayName", "Attributes.entry.1.value": "d",
            "Attributes.entry.2.key": "Policy", "Attributes.entry.2.value": "p",
            "ClientIDList.member.1": "sts.amazonaws.com",
        ])
    }

    func testEC2RequestIndexesListsAndAnswerHasNoResultWrapper() async throws {
        let transport = ScriptedTransport(body: """
        <DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>
        <subnetSet><item><subnetId>subnet-1</subnetId><vpcId>vpc-1</vpcId><availabilityZone>eu-west-1a</availabilityZone>
        <cidrBlock>172.31.0.0/20</cidrBlock><defaultForAz>true</defaultForAz><mapPublicIpOnLaunch>true</mapPublicIpOnLaunch>
        <state>available</state><tagSet><item><key>tier</key><value>public</value></item></tagSet></item></subnetSet></DescribeSubnetsResponse>
        """)
        let subnets = try await scriptedClient(transport).ec2.describeSubnets(filters: [.vpcID("vpc-1"), .availabilityZone("eu-west-1a", "eu-west-1b")])

        XCTAssertEqual(subnets, [EC2.Subnet(id: "subnet-1", vpcID: "vpc-1", availabilityZone: "eu-west-1a", availabilityZoneID: nil,
                                            cidrBlock: "172.31.0.0/20", defaultForAZ: true, mapPublicIPOnLaunch: true, state: "available",
                                            arn: nil, tags: ["tier": "public"])])
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8")
        // botocore's EC2 serializer: `Name.N` without `.member`, and an empty list (SubnetId) sends nothing.
        XCTAssertEqual(request.formParameters, [
            "Action": "DescribeSubnets", "Version": "2016-11-15",
            "Filter.1.Name": "vpc-id", "Filter.1.Value.1": "vpc-1",
            "Filter.2.Name": "availability-zone", "Filter.2.Value.1": "eu-west-1a", "Filter.2.Value.2": "eu-west-1b",
        ])
    }

    func testJSONRequestCarriesTargetContentTypeAndBotocoreMemberNames() async throws {
        struct CreateAliasInput: Encodable {
            var aliasName: String
            var targetKeyID: String
            enum CodingKeys: String, CodingKey { case aliasName = "AliasName", targetKeyID = "TargetKeyId" }
        }
        let transport = ScriptedTransport(body: "")
        let client = scriptedClient(transport)
        _ = try await client.json(.kms, "CreateAlias", CreateAliasInput(aliasName: "alias/img", targetKeyID: "k-1"), as: AWSEmpty.self)

        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url.path, "/")
        XCTAssertEqual(request.headers["X-Amz-Target"], "TrentService.CreateAlias")
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-1.1")
        XCTAssertEqual(request.bodyJSON as? [String: String], ["AliasName": "alias/img", "TargetKeyId": "k-1"])
    }

    func testJSONDecodesEpochSecondTimestamps() async throws {
        struct Metadata: Decodable {
            var creationDate: Date
            enum CodingKeys: String, CodingKey { case creationDate = "CreationDate" }
        }
        struct Output: Decodable {
            var keyMetadata: Metadata
            enum CodingKeys: String, CodingKey { case keyMetadata = "KeyMetadata" }
        }
        let transport = ScriptedTransport(body: #"{"KeyMetadata":{"CreationDate":1700000000.5}}"#)
        let output = try await scriptedClient(transport).json(.kms, "DescribeKey", ["KeyId": "k"], as: Output.self)
        XCTAssertEqual(output.keyMetadata.creationDate.timeIntervalSince1970, 1_700_000_000.5)
    }

    func testJSONTargetPrefixesFollowBotocoreMetadata() {
        XCTAssertEqual(AWSService.cognitoIdentityProvider.wireProtocol, .json(version: "1.1", targetPrefix: "AWSCognitoIdentityProviderService"))
        XCTAssertEqual(AWSService.cognitoIdentity.wireProtocol, .json(version: "1.1", targetPrefix: "AWSCognitoIdentityService"))
        XCTAssertEqual(AWSService.ssm.wireProtocol, .json(version: "1.1", targetPrefix: "AmazonSSM"))
        XCTAssertEqual(AWSService.cloudWatchLogs.wireProtocol, .json(version: "1.1", targetPrefix: "Logs_20140328"))
        XCTAssertEqual(AWSService.cloudWatch.signingName, "monitoring")
        XCTAssertEqual(AWSService.environmentID(forServiceID: "Cognito Identity Provider"), "COGNITO_IDENTITY_PROVIDER")
        XCTAssertEqual(AWSService.environmentID(forServiceID: "CloudWatch Logs"), AWSService.cloudWatchLogs.endpointEnvironmentID)
    }

    func testRESTJSONListFunctionsSendsQueryMembersAndNoBody() async throws {
        let transport = ScriptedTransport([
            .response(HTTPResponse(statusCode: 200, body: Data(#"{"Functions":[{"FunctionName":"a","FunctionArn":"arn:a","Runtime":"nodejs20.x"}],"NextMarker":"m 2"}"#.utf8))),
            .response(HTTPResponse(statusCode: 200, body: Data(#"{"Functions":[{"FunctionName":"b","FunctionArn":"arn:b"}]}"#.utf8))),
        ])
        let functions = try await scriptedClient(transport).lambda.listFunctions()

        XCTAssertEqual(functions.map(\.name), ["a", "b"])
        XCTAssertEqual(functions.first?.runtime, "nodejs20.x")
        let requests = transport.requests
        XCTAssertEqual(requests.map(\.method), ["GET", "GET"])
        XCTAssertEqual(requests[0].url.absoluteString, "http://127.0.0.1:5000/2015-03-31/functions")
        XCTAssertEqual(requests[1].url.absoluteString, "http://127.0.0.1:5000/2015-03-31/functions?Marker=m%202")
        XCTAssertTrue(requests[0].body.isEmpty)
        XCTAssertNil(requests[0].headers["Content-Type"])
    }

    func testRESTJSONBodyAndLabelsAreEncoded() async throws {
        struct AddPermission: Encodable {
            var statementID: String
            enum CodingKeys: String, CodingKey { case statementID = "StatementId" }
        }
        let transport = ScriptedTransport(status: 201, body: #"{"Statement":"{}"}"#)
        let path = try URITemplate.expand("/2015-03-31/functions/{FunctionName}/policy", labels: ["FunctionName": "arn:aws:lambda:us-east-1:1:function:f"])
        _ = try await scriptedClient(transport).restJSON(.lambda, "AddPermission", method: "POST", path: path, input: AddPermission(statementID: "s"),
                                                     as: AWSEmpty.self, region: "us-east-1")
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.url.absoluteString, "http://127.0.0.1:5000/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/policy")
        XCTAssertEqual(request.headers["Content-Type"], "application/json")
        XCTAssertEqual(request.bodyJSON as? [String: String], ["StatementId": "s"])
        XCTAssertTrue(request.headers["Authorization"]?.contains("/us-east-1/lambda/aws4_request") ?? false)
    }

    func testGreedyLabelKeepsSlashesAndEncodesTheRest() throws {
        XCTAssertEqual(try URITemplate.expand("/{Bucket}/{Key+}", labels: ["Bucket": "b", "Key": "a/b+c%d=e f"]), "/b/a/b%2Bc%25d%3De%20f")
        XCTAssertEqual(try URITemplate.expand("/x/{Name}", labels: ["Name": "a/b"]), "/x/a%2Fb")
        XCTAssertThrowsError(try URITemplate.expand("/x/{Name}", labels: [:]))
    }

    func testRESTXMLS3RequestIsPathStyleWithPayloadHashHeader() async throws {
        let transport = ScriptedTransport(body: "")
        let body = XMLNode("Tagging", children: [XMLNode("TagSet", children: [XMLNode("Tag", children: [XMLNode("Key", text: "a<b"), XMLNode("Value", text: "x&y")])])]).document
        _ = try await scriptedClient(transport).s3("PutBucketTagging", method: "PUT", bucket: "my-bucket", query: [("tagging", "")],
                                               headers: ["Content-Type": "application/xml"], body: body)
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.url.absoluteString, "http://127.0.0.1:5000/my-bucket?tagging=")
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self),
                       #"<?xml version="1.0" encoding="UTF-8"?><Tagging><TagSet><Tag><Key>a&lt;b</Key><Value>x&amp;y</Value></Tag></TagSet></Tagging>"#)
        XCTAssertEqual(request.headers["x-amz-content-sha256"]?.count, 64)
    }

    func testCloudFrontListDistributionsReadsSummariesAndIsSignedInUSEast1() async throws {
        let xml = """
        <?xml version="1.0"?><DistributionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Marker></Marker><MaxItems>100</MaxItems>
        <IsTruncated>false</IsTruncated><Quantity>1</Quantity><Items><DistributionSummary><Id>E1</Id><ARN>arn:aws:cloudfront::1:distribution/E1</ARN>
        <Status>Deployed</Status><DomainName>d1.cloudfront.net</DomainName><Enabled>true</Enabled></DistributionSummary></Items></DistributionList>
        """
        let transport = ScriptedTransport(body: xml)
        let distributions = try await scriptedClient(transport, region: "eu-west-1").cloudFront.listDistributions()
        XCTAssertEqual(distributions, [CloudFront.DistributionSummary(id: "E1", arn: "arn:aws:cloudfront::1:distribution/E1", status: "Deployed",
                                                                      domainName: "d1.cloudfront.net", enabled: true)])
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.url.absoluteString, "http://127.0.0.1:5000/2020-05-31/distribution")
        XCTAssertTrue(request.headers["Authorization"]?.contains("/us-east-1/cloudfront/aws4_request") ?? false)
    }

    func testSTSWebIdentityIsSentUnsignedAndParsesCredentials() async throws {
        let xml = """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials>
        <AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2030-01-02T03:04:05Z</Expiration>
        </Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
        """
        let transport = ScriptedTransport(body: xml)
        let configuration = AWSClient.Configuration(region: "eu-west-1", environment: [:])
        let credentials = try await STSRoleAssumer(configuration: configuration, transport: transport)
            .assumeRoleWithWebIdentity(roleARN: "arn:aws:iam::1:role/ci", sessionName: "gh", webIdentityToken: "jwt")

        XCTAssertEqual(credentials, AWSCredentials(accessKeyID: "ASIA1", secretAccessKey: "s", sessionToken: "t", expiration: Date(timeIntervalSince1970: 1_893_553_445)))
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertNil(request.headers["Authorization"])
        XCTAssertEqual(request.url.absoluteString, "https://sts.eu-west-1.amazonaws.com/")
        XCTAssertEqual(request.formParameters["WebIdentityToken"], "jwt")
        XCTAssertEqual(request.formParameters["Action"], "AssumeRoleWithWebIdentity")
    }

    func testSTSAssumeRoleIsSignedWithTheSourceCredentials() async throws {
        let xml = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA2</AccessKeyId><SecretAccessKey>s</SecretAccessKey></Credentials></AssumeRoleResult></AssumeRoleResponse>"
        let transport = ScriptedTransport(body: xml)
        let assumer = STSRoleAssumer(configuration: AWSClient.Configuration(region: "eu-west-1", environment: [:]), transport: transport)
        let credentials = try await assumer.assumeRole(roleARN: "arn:aws:iam::1:role/admin", sessionName: "s", externalID: "ext",
                                                       using: AWSCredentials(accessKeyID: "AKIASOURCE", secretAccessKey: "x"))
        XCTAssertEqual(credentials.accessKeyID, "ASIA2")
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertTrue(request.headers["Authorization"]?.contains("Credential=AKIASOURCE/") ?? false)
        XCTAssertEqual(request.formParameters["ExternalId"], "ext")
    }
}
