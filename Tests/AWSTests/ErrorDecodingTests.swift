import XCTest
@testable import AWS

/// Every protocol's error answer decodes into `AWSError` with code, message and request id.
final class ErrorDecodingTests: XCTestCase {
    private func error(_ service: AWSService, _ operation: String, status: Int, headers: HTTPHeaders = HTTPHeaders(), body: String = "",
                       method: String = "GET") async -> AWSError? {
        let transport = ScriptedTransport(status: status, headers: headers, body: body)
        let client = scriptedClient(transport, maxAttempts: 1)
        do {
            switch service.wireProtocol {
            case .query: _ = try await client.query(service, operation)
            case .ec2: _ = try await client.ec2Query(service, operation)
            case .json: _ = try await client.json(service, operation, AWSEmpty(), as: AWSEmpty.self)
            case .restJSON, .restXML:
                if service == .s3 {
                    _ = try await client.s3(operation, method: method, bucket: "b", key: "k")
                } else {
                    _ = try await client.rest(service, operation, method: method, path: "/")
                }
            }
            return nil
        } catch {
            return error as? AWSError
        }
    }

    func testQueryErrorResponseIsDecoded() async {
        let body = """
        <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>
        <Message>The role with name r cannot be found.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>
        """
        let error = await error(.iam, "GetRole", status: 404, body: body)
        XCTAssertEqual(error, AWSError(service: "iam", operation: "GetRole", statusCode: 404, code: "NoSuchEntity",
                                       message: "The role with name r cannot be found.", requestID: "req-1"))
    }

    func testEC2ErrorsResponseIsDecoded() async {
        let body = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Response><Errors><Error><Code>DependencyViolation</Code><Message>resource sg-1 has a dependent object</Message></Error></Errors>
        <RequestID>req-ec2</RequestID></Response>
        """
        let error = await error(.ec2, "DeleteSecurityGroup", status: 400, body: body)
        XCTAssertEqual(error, AWSError(service: "ec2", operation: "DeleteSecurityGroup", statusCode: 400, code: "DependencyViolation",
                                       message: "resource sg-1 has a dependent object", requestID: "req-ec2"))
    }

    func testJSONTypeWithNamespacePrefixIsStripped() async {
        let error = await error(.kms, "DescribeKey", status: 400, headers: ["x-amzn-RequestId": "req-2"],
                                body: #"{"__type":"com.amazonaws.kms#NotFoundException","message":"Key 'x' does not exist"}"#)
        XCTAssertEqual(error, AWSError(service: "kms", operation: "DescribeKey", statusCode: 400, code: "NotFoundException",
                                       message: "Key 'x' does not exist", requestID: "req-2"))
    }

    func testJSONCapitalisedMessageIsRead() async {
        let error = await error(.cognitoIdentityProvider, "DescribeUserPool", status: 400,
                                body: #"{"__type":"ResourceNotFoundException","Message":"User pool does not exist."}"#)
        XCTAssertEqual(error?.code, "ResourceNotFoundException")
        XCTAssertEqual(error?.message, "User pool does not exist.")
    }

    func testRESTJSONErrorTypeHeaderWinsAndLosesItsURLSuffix() async {
        let error = await error(.lambda, "GetFunction", status: 404,
                                headers: ["x-amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/"],
                                body: #"{"Type":"User","Message":"Function not found: f"}"#)
        XCTAssertEqual(error?.code, "ResourceNotFoundException")
        XCTAssertEqual(error?.message, "Function not found: f")
    }

    func testS3ErrorBodyIsDecoded() async {
        let body = "<?xml version=\"1.0\"?><Error><Code>BucketNotEmpty</Code><Message>The bucket you tried to delete is not empty</Message><RequestId>r3</RequestId></Error>"
        let error = await error(.s3, "DeleteBucket", status: 409, body: body, method: "DELETE")
        XCTAssertEqual(error, AWSError(service: "s3", operation: "DeleteBucket", statusCode: 409, code: "BucketNotEmpty",
                                       message: "The bucket you tried to delete is not empty", requestID: "r3"))
    }

    func testS3HeadWithoutBodyTakesItsCodeFromTheStatus() async {
        let notFound = await error(.s3, "HeadObject", status: 404, headers: ["x-amz-request-id": "r4"], method: "HEAD")
        XCTAssertEqual(notFound, AWSError(service: "s3", operation: "HeadObject", statusCode: 404, code: "NotFound", message: "", requestID: "r4"))
        let forbidden = await error(.s3, "HeadBucket", status: 403, method: "HEAD")
        XCTAssertEqual(forbidden?.code, "Forbidden")
    }

    func testS3RedirectSurfacesAsPermanentRedirectNamingTheRegion() async {
        let error = await error(.s3, "HeadBucket", status: 301, headers: ["x-amz-bucket-region": "ap-southeast-2"], method: "HEAD")
        XCTAssertEqual(error?.code, "PermanentRedirect")
        XCTAssertEqual(error?.statusCode, 301)
        XCTAssertTrue(error?.message.contains("ap-southeast-2") ?? false)
    }

    func testCloudFrontErrorResponseIsDecoded() async {
        let body = """
        <?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type>
        <Code>DistributionNotDisabled</Code><Message>The distribution you are trying to delete has not been disabled.</Message></Error>
        <RequestId>r5</RequestId></ErrorResponse>
        """
        let error = await error(.cloudFront, "DeleteDistribution", status: 409, body: body, method: "DELETE")
        XCTAssertEqual(error, AWSError(service: "cloudfront", operation: "DeleteDistribution", statusCode: 409, code: "DistributionNotDisabled",
                                       message: "The distribution you are trying to delete has not been disabled.", requestID: "r5"))
    }
}
