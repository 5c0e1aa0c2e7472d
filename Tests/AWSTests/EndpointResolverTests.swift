import XCTest
@testable import AWS

final class EndpointResolverTests: XCTestCase {
    private let flag = URL(string: "http://flag:1")
    private let profile = URL(string: "http://profile:4")
    private let environment = ["AWS_ENDPOINT_URL_S3": "http://s3env:2", "AWS_ENDPOINT_URL": "http://globalenv:3"]

    func testFlagBeatsServiceEnvBeatsGlobalEnvBeatsProfile() throws {
        XCTAssertEqual(try EndpointResolver(endpointURL: flag, environment: environment, profileEndpointURL: profile).resolve(.s3, region: "eu-west-1").url.absoluteString, "http://flag:1")
        XCTAssertEqual(try EndpointResolver(environment: environment, profileEndpointURL: profile).resolve(.s3, region: "eu-west-1").url.absoluteString, "http://s3env:2")
        XCTAssertEqual(try EndpointResolver(environment: environment, profileEndpointURL: profile).resolve(.kms, region: "eu-west-1").url.absoluteString, "http://globalenv:3")
        XCTAssertEqual(try EndpointResolver(profileEndpointURL: profile).resolve(.kms, region: "eu-west-1").url.absoluteString, "http://profile:4")
        let fallback = try EndpointResolver().resolve(.kms, region: "eu-west-1")
        XCTAssertEqual(fallback, ResolvedEndpoint(url: try XCTUnwrap(URL(string: "https://kms.eu-west-1.amazonaws.com")), signingRegion: "eu-west-1", isCustom: false))
    }

    func testServiceEnvironmentNamesFollowTheSDKServiceID() throws {
        let resolver = EndpointResolver(environment: ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": "http://idp:9", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": "http://logs:9/"])
        XCTAssertEqual(try resolver.resolve(.cognitoIdentityProvider, region: "eu-west-1").url.absoluteString, "http://idp:9")
        XCTAssertEqual(try resolver.resolve(.cloudWatchLogs, region: "eu-west-1").url.absoluteString, "http://logs:9")
        XCTAssertFalse(try resolver.resolve(.cognitoIdentity, region: "eu-west-1").isCustom)
    }

    func testIgnoreConfiguredEndpointsTurnsOffEnvironmentAndProfileButNotTheFlag() throws {
        var environment = self.environment
        environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        XCTAssertEqual(try EndpointResolver(environment: environment, profileEndpointURL: profile).resolve(.s3, region: "us-west-2").url.absoluteString,
                       "https://s3.us-west-2.amazonaws.com")
        XCTAssertEqual(try EndpointResolver(endpointURL: flag, environment: environment).resolve(.s3, region: "us-west-2").url.absoluteString, "http://flag:1")
    }

    func testGlobalServicesSignInUSEast1AndUseTheirGlobalHost() throws {
        let iam = try EndpointResolver().resolve(.iam, region: "eu-central-1")
        XCTAssertEqual(iam.url.absoluteString, "https://iam.amazonaws.com")
        XCTAssertEqual(iam.signingRegion, "us-east-1")
        let cloudFront = try EndpointResolver().resolve(.cloudFront, region: "ap-south-1")
        XCTAssertEqual(cloudFront.url.absoluteString, "https://cloudfront.amazonaws.com")
        XCTAssertEqual(cloudFront.signingRegion, "us-east-1")
        let custom = try EndpointResolver(endpointURL: flag).resolve(.iam, region: "eu-central-1")
        XCTAssertEqual(custom.signingRegion, "us-east-1")
        let sts = try EndpointResolver().resolve(.sts, region: "eu-central-1")
        XCTAssertEqual(sts.url.absoluteString, "https://sts.eu-central-1.amazonaws.com")
        XCTAssertEqual(sts.signingRegion, "eu-central-1")
    }

    func testChinaRegionsUseTheirPartitionSuffix() throws {
        XCTAssertEqual(try EndpointResolver().resolve(.s3, region: "cn-north-1").url.absoluteString, "https://s3.cn-north-1.amazonaws.com.cn")
        let iam = try EndpointResolver().resolve(.iam, region: "cn-northwest-1")
        XCTAssertEqual(iam.url.absoluteString, "https://iam.cn-north-1.amazonaws.com.cn")
        XCTAssertEqual(iam.signingRegion, "cn-north-1")
    }

    func testMalformedRegionIsRejected() {
        XCTAssertThrowsError(try EndpointResolver().resolve(.s3, region: "eu west/1"))
        XCTAssertThrowsError(try EndpointResolver().resolve(.s3, region: ""))
    }

    func testS3IsVirtualHostedOnAWSAndPathStyleOnACustomEndpoint() throws {
        let onAWS = scriptedClient(ScriptedTransport(), region: "eu-west-1", endpointURL: nil)
        XCTAssertEqual(try onAWS.s3URL(bucket: "my-bucket", key: "a.txt").absoluteString, "https://my-bucket.s3.eu-west-1.amazonaws.com/a.txt")
        XCTAssertEqual(try onAWS.s3URL(bucket: "my.dotted.bucket", key: "a.txt").absoluteString, "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/a.txt")
        let viaEnv = scriptedClient(ScriptedTransport(), endpointURL: nil, environment: ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000"])
        XCTAssertEqual(try viaEnv.s3URL(bucket: "my-bucket", key: "a.txt").absoluteString, "http://127.0.0.1:9000/my-bucket/a.txt")
        XCTAssertEqual(try viaEnv.s3URL(bucket: nil).absoluteString, "http://127.0.0.1:9000/")
    }

    func testS3KeysWithReservedCharactersRoundTrip() throws {
        let client = scriptedClient(ScriptedTransport())
        let key = "photos/2024/a+b%c=d e.jpg"
        let url = try client.s3URL(bucket: "b", key: key, query: [("versionId", "v+1")])
        XCTAssertEqual(url.absoluteString, "http://127.0.0.1:5000/b/photos/2024/a%2Bb%25c%3Dd%20e.jpg?versionId=v%2B1")
        let encodedKey = try XCTUnwrap(URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath.dropFirst("/b/".count))
        XCTAssertEqual(String(encodedKey).removingPercentEncoding, key)
    }

    func testCallRegionOverrideChangesEndpointAndSigningRegion() async throws {
        let transport = ScriptedTransport(body: #"{"Functions":[]}"#)
        let client = scriptedClient(transport, region: "eu-west-1", endpointURL: nil)
        _ = try await client.lambda(region: "us-east-1").listFunctions()
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.url.host, "lambda.us-east-1.amazonaws.com")
        XCTAssertTrue(request.headers["Authorization"]?.contains("/us-east-1/lambda/aws4_request") ?? false)
    }
}
