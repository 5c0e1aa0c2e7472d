import Foundation
import XCTest

@testable import AWS

/// The signer against AWS's published examples and against botocore's output for edge cases
/// (pinned from `botocore.auth.SigV4Auth` / `S3SigV4Auth` 1.x with the same inputs).
final class SigningTests: XCTestCase {
    /// 2015-08-30T12:36:00Z, the date of the IAM and sigv4 test-suite examples.
    let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)
    /// 2013-05-24T00:00:00Z, the date of the S3 examples.
    let s3Date = Date(timeIntervalSince1970: 1_369_353_600)
    let suiteCredentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    let s3Credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    private func request(_ method: String, _ url: String, _ headers: HTTPHeaders = HTTPHeaders(), body: String = "") throws -> HTTPRequest {
        HTTPRequest(method: method, url: try XCTUnwrap(URL(string: url)), headers: headers, body: Data(body.utf8))
    }

    private func signature(of request: HTTPRequest) throws -> String {
        let authorization = try XCTUnwrap(request.headers["Authorization"])
        return String(try XCTUnwrap(authorization.components(separatedBy: "Signature=").last))
    }

    // MARK: - AWS's published examples

    func testIAMListUsersExampleFromTheSigningDocs() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, signingName: "iam", region: "us-east-1")
        let original = try request(
            "GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
            ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"])
        let signed = signer.sign(original, date: suiteDate)
        XCTAssertEqual(
            signed.headers["Authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
        XCTAssertEqual(signed.headers["Host"], "iam.amazonaws.com")
        XCTAssertEqual(signed.headers["X-Amz-Date"], "20150830T123600Z")
    }

    func testIAMExampleStagesMatchTheDocumentedIntermediateValues() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, signingName: "iam", region: "us-east-1")
        let headers: HTTPHeaders = [
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Host": "iam.amazonaws.com",
            "X-Amz-Date": "20150830T123600Z",
        ]
        let url = try XCTUnwrap(URL(string: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"))
        let canonical = signer.canonicalRequest(
            method: "GET", url: url, headers: headers,
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", doubleEncodePath: true)
        XCTAssertEqual(
            canonical.text,
            """
            GET
            /
            Action=ListUsers&Version=2010-05-08
            content-type:application/x-www-form-urlencoded; charset=utf-8
            host:iam.amazonaws.com
            x-amz-date:20150830T123600Z

            content-type;host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        let toSign = signer.stringToSign(
            canonicalRequest: canonical.text, timestamp: "20150830T123600Z", scope: signer.credentialScope(timestamp: "20150830T123600Z"))
        XCTAssertEqual(
            toSign,
            """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/iam/aws4_request
            f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59
            """)
        // The derived signing key printed in "Examples of how to derive a signing key".
        let key = signer.signingKey(day: "20150830").withUnsafeBytes { SigV4Signer.hex(Array($0)) }
        XCTAssertEqual(key, "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        XCTAssertEqual(
            signer.signature(stringToSign: toSign, timestamp: "20150830T123600Z"),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    func testSigV4TestSuiteGetVanilla() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, signingName: "service", region: "us-east-1")
        let signed = signer.sign(try request("GET", "https://example.amazonaws.com/"), date: suiteDate)
        XCTAssertEqual(
            signed.headers["Authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    func testS3GetObjectWithRangeExample() throws {
        let signer = SigV4Signer(credentials: s3Credentials, signingName: "s3", region: "us-east-1")
        let signed = signer.sign(
            try request("GET", "https://examplebucket.s3.amazonaws.com/test.txt", ["Range": "bytes=0-9"]),
            date: s3Date, contentSHA256Header: true, doubleEncodePath: false)
        XCTAssertEqual(
            signed.headers["Authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        XCTAssertEqual(signed.headers["x-amz-content-sha256"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testS3PutObjectExample() throws {
        let signer = SigV4Signer(credentials: s3Credentials, signingName: "s3", region: "us-east-1")
        let original = try request(
            "PUT", "https://examplebucket.s3.amazonaws.com/test%24file.text",
            ["Date": "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY"],
            body: "Welcome to Amazon S3.")
        let signed = signer.sign(original, date: s3Date, contentSHA256Header: true, doubleEncodePath: false)
        XCTAssertEqual(
            signed.headers["Authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
        XCTAssertEqual(signed.headers["x-amz-content-sha256"], "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    }

    func testS3GetBucketLifecycleExample() throws {
        let signer = SigV4Signer(credentials: s3Credentials, signingName: "s3", region: "us-east-1")
        let signed = signer.sign(
            try request("GET", "https://examplebucket.s3.amazonaws.com/?lifecycle"),
            date: s3Date, contentSHA256Header: true, doubleEncodePath: false)
        XCTAssertEqual(try signature(of: signed), "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    func testS3ListObjectsExample() throws {
        let signer = SigV4Signer(credentials: s3Credentials, signingName: "s3", region: "us-east-1")
        let signed = signer.sign(
            try request("GET", "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J"),
            date: s3Date, contentSHA256Header: true, doubleEncodePath: false)
        XCTAssertEqual(try signature(of: signed), "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    func testS3PresignedURLExample() throws {
        let signer = SigV4Signer(credentials: s3Credentials, signingName: "s3", region: "us-east-1")
        let presigned = signer.presign(
            try request("GET", "https://examplebucket.s3.amazonaws.com/test.txt"), date: s3Date, expires: 86400,
            doubleEncodePath: false)
        XCTAssertEqual(
            presigned.url.absoluteString,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        XCTAssertNil(presigned.headers["Authorization"])
    }

    func testPresignWithSessionTokenAddsTheTokenToTheQuery() throws {
        let credentials = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "tok/en+=")
        let signer = SigV4Signer(credentials: credentials, signingName: "s3", region: "eu-west-1")
        let presigned = signer.presign(
            try request("GET", "https://b.s3.amazonaws.com/k"), date: s3Date, expires: 60, doubleEncodePath: false)
        XCTAssertTrue(presigned.url.absoluteString.contains("X-Amz-Security-Token=tok%2Fen%2B%3D"))
    }

    // MARK: - Edge cases, pinned from botocore

    func testNonS3PathIsNormalisedAndEncodedTwiceLikeBotocore() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, signingName: "service", region: "us-east-1")
        let url = "https://example.amazonaws.com/a%20b/%C3%A9/x%2Fy/./c/../d//e~f"
        let signed = signer.sign(try request("GET", url), date: suiteDate)
        XCTAssertEqual(try signature(of: signed), "598b9a67594ae25268271c8ec684f416a93f479084b4c1a8113b61e5942f0a3d")
        XCTAssertEqual(
            SigV4Signer.canonicalURI("/a%20b/%C3%A9/x%2Fy/./c/../d//e~f", doubleEncode: true),
            "/a%2520b/%25C3%25A9/x%252Fy/d/e~f")
    }

    func testS3PathIsUsedAsGivenWithoutNormalising() {
        XCTAssertEqual(SigV4Signer.canonicalURI("/dir/a%2Bb%25c%3Dd%20e.txt", doubleEncode: false), "/dir/a%2Bb%25c%3Dd%20e.txt")
        XCTAssertEqual(SigV4Signer.canonicalURI("/a/./b//c", doubleEncode: false), "/a/./b//c")
        XCTAssertEqual(SigV4Signer.canonicalURI("", doubleEncode: false), "/")
        XCTAssertEqual(SigV4Signer.canonicalURI("", doubleEncode: true), "/")
    }

    func testS3KeyWithSlashPlusPercentAndEqualsMatchesBotocore() throws {
        let signer = SigV4Signer(credentials: s3Credentials, signingName: "s3", region: "us-east-1")
        let signed = signer.sign(
            try request("PUT", "https://examplebucket.s3.amazonaws.com/dir/a%2Bb%25c%3Dd%20e.txt", body: "hi"),
            date: s3Date, contentSHA256Header: true, doubleEncodePath: false)
        XCTAssertEqual(try signature(of: signed), "8a7cf6abb4caf4758ebc1b684d31558f4f83d5f60d91b82a3a3d20ed8856496b")
    }

    func testQueryWithEmptyRepeatedUnicodeAndTildeKeysMatchesBotocore() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, signingName: "service", region: "us-east-1")
        let raw = "b=2&a=&a=1&c&%C3%A9=%E2%9C%93&t=~x"
        XCTAssertEqual(SigV4Signer.canonicalQuery(raw), "%C3%A9=%E2%9C%93&a=&a=1&b=2&c=&t=~x")
        let signed = signer.sign(try request("GET", "https://example.amazonaws.com/?" + raw), date: suiteDate)
        XCTAssertEqual(try signature(of: signed), "75bf12e9e86f91348f8b996ec543bc3c06f62c035266e58061c97153e1f51339")
    }

    func testQueryIsDecodedThenReencodedWithTheUnreservedSet() {
        // `%7E` is an unreserved `~`, lower-case hex is upper-cased, `+` is a form-encoded
        // space, and reserved characters sent raw are encoded.
        XCTAssertEqual(SigV4Signer.canonicalQuery("k=%7e&s=a+b&r=a:b/c&p=%2b"), "k=~&p=%2B&r=a%3Ab%2Fc&s=a%20b")
        XCTAssertEqual(SigV4Signer.canonicalQuery("x=1&x=0&x="), "x=&x=0&x=1")
        XCTAssertEqual(SigV4Signer.canonicalQuery(""), "")
    }

    func testSessionTokenPortAndUnsignedHeadersMatchBotocore() throws {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN")
        let signer = SigV4Signer(credentials: credentials, signingName: "kms", region: "us-east-1")
        let original = try request(
            "POST", "http://127.0.0.1:5000/",
            ["Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService.ListKeys", "User-Agent": "imgstack/1"],
            body: "{}")
        let signed = signer.sign(original, date: suiteDate)
        XCTAssertEqual(signed.headers["Host"], "127.0.0.1:5000")
        XCTAssertEqual(signed.headers["X-Amz-Security-Token"], "TOKEN")
        XCTAssertEqual(
            signed.headers["Authorization"],
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kms/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
                + "Signature=a19cd86a4f5c4e7905db6f6786840f51f170ddc45696849bed29a8aa2e39cd63")
    }

    private func signedWithOddHeader(service: String, method: String, url: String) throws -> HTTPRequest {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "TOK"), signingName: service,
            region: "eu-west-1")
        let original = try request(method, url, ["X-Amz-Meta-Odd": " a \t  b ", "Content-Type": "text/plain"], body: "body")
        let isS3 = service == "s3"
        return signer.sign(original, date: Date(timeIntervalSince1970: 1_704_164_645), contentSHA256Header: isS3, doubleEncodePath: !isS3)
    }

    func testLambdaARNInPathHasItsColonsEncodedTwiceLikeBotocore() throws {
        let signed = try signedWithOddHeader(
            service: "service", method: "GET",
            url: "https://example.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/policy")
        XCTAssertEqual(try signature(of: signed), "236a109b4740dd0d967d70d2bde7a6a1b4f7f20757571cf5b9cd63909bf0fdbc")
    }

    func testS3ListWithEncodedPrefixAndContinuationTokenMatchesBotocore() throws {
        let signed = try signedWithOddHeader(
            service: "s3", method: "GET",
            url: "https://b.s3.amazonaws.com/?list-type=2&prefix=photos%2F2024%2F&delimiter=%2F&continuation-token=ab%2Bcd%3D%3D")
        XCTAssertEqual(try signature(of: signed), "86547ad9bfb710be56646ada58a60e1d17b1ae133655867a53dd605d83158bdf")
    }

    func testNonS3PathWithPlusTildeAndEuroAndReservedQueryMatchesBotocore() throws {
        let signed = try signedWithOddHeader(
            service: "service", method: "GET", url: "https://example.amazonaws.com/a+b/c%7Ed/%E2%82%AC?x=%2F&y=a%3Db&z=~")
        XCTAssertEqual(try signature(of: signed), "61fbf9f058b3de5123562f226f6602bd8eecb6995f42ea0d4632cdda78f10c41")
    }

    func testHeaderValuesAreTrimmedCollapsedAndRepeatedNamesJoined() {
        var headers = HTTPHeaders()
        headers.add("X-Amz-Meta-A", "  one   two  ")
        headers.add("x-amz-meta-a", "three")
        headers.add("Expect", "100-continue")
        headers.add("Host", "h")
        let canonical = SigV4Signer.canonicalHeaders(headers)
        XCTAssertEqual(canonical.map(\.name), ["host", "x-amz-meta-a"])
        XCTAssertEqual(canonical.last?.value, "one two,three")
    }

    func testDefaultPortIsLeftOutOfTheHostHeader() throws {
        XCTAssertEqual(SigV4Signer.hostHeader(for: try XCTUnwrap(URL(string: "https://s3.amazonaws.com:443/x"))), "s3.amazonaws.com")
        XCTAssertEqual(SigV4Signer.hostHeader(for: try XCTUnwrap(URL(string: "http://localhost:80/"))), "localhost")
        XCTAssertEqual(SigV4Signer.hostHeader(for: try XCTUnwrap(URL(string: "https://localhost:8443/"))), "localhost:8443")
    }

    func testResigningReplacesThePreviousSignature() throws {
        let signer = SigV4Signer(credentials: suiteCredentials, signingName: "service", region: "us-east-1")
        let first = signer.sign(try request("GET", "https://example.amazonaws.com/"), date: suiteDate)
        let second = signer.sign(first, date: suiteDate)
        XCTAssertEqual(second.headers.filter { $0.name.lowercased() == "authorization" }.count, 1)
        XCTAssertEqual(second.headers["Authorization"], first.headers["Authorization"])
    }

    func testUnsignedAndPrecomputedPayloads() throws {
        let signer = SigV4Signer(credentials: s3Credentials, signingName: "s3", region: "us-east-1")
        let original = try request("PUT", "https://b.s3.amazonaws.com/k", body: "data")
        let unsigned = signer.sign(original, date: s3Date, payload: .unsigned, contentSHA256Header: true, doubleEncodePath: false)
        XCTAssertEqual(unsigned.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD")
        let precomputed = signer.sign(original, date: s3Date, payload: .precomputed("abc"), contentSHA256Header: true, doubleEncodePath: false)
        XCTAssertEqual(precomputed.headers["x-amz-content-sha256"], "abc")
        XCTAssertNotEqual(unsigned.headers["Authorization"], precomputed.headers["Authorization"])
    }

    func testTimestampIsUTCWithFixedWidthFields() {
        XCTAssertEqual(SigV4Signer.timestamp(Date(timeIntervalSince1970: 0)), "19700101T000000Z")
        XCTAssertEqual(SigV4Signer.timestamp(suiteDate), "20150830T123600Z")
    }
}
