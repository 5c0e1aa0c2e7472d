import Foundation
@testable import AWS
import XCTest

/// The S3 bucket and object calls checked against botocore's `s3` model: operation URIs and
/// methods, XML member names (recursively through the input shapes), header names, and the
/// `Content-MD5` that operations marked `requestChecksumRequired` must carry.
final class S3RequestEncodingTests: XCTestCase {
    // Read once, never written after.
    nonisolated(unsafe) private static let model: [String: Any] = {
        let script = "import botocore,os;print(os.path.dirname(botocore.__file__))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        let root = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gunzip.arguments = ["gzip", "-dc", root + "/data/s3/2006-03-01/service-2.json.gz"]
        let out = Pipe()
        gunzip.standardOutput = out
        try? gunzip.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }()

    private var operations: [String: [String: Any]] { Self.model["operations"] as? [String: [String: Any]] ?? [:] }
    private var shapes: [String: [String: Any]] { Self.model["shapes"] as? [String: [String: Any]] ?? [:] }

    /// Sends one call through a scripted transport and checks it against the model.
    private func check(_ operation: String, answer: String = "", region: String = "eu-west-1",
                       _ call: (AWS.S3) async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPRequest {
        let transport = ScriptedTransport(body: answer)
        try await call(scriptedClient(transport, region: region).s3)
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        let spec = try XCTUnwrap(operations[operation], "no \(operation) in the model", file: file, line: line)
        let http = spec["http"] as? [String: Any] ?? [:]
        XCTAssertEqual(request.method, http["method"] as? String, operation, file: file, line: line)
        // The model's URI names the sub-resource (`/{Bucket}?lifecycle`); ours must carry it.
        let uri = http["requestUri"] as? String ?? ""
        if let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first {
            let subresource = String(query.split(separator: "&").first ?? "").split(separator: "=").first.map(String.init) ?? ""
            XCTAssertTrue(request.url.query?.contains(subresource) ?? false, "\(operation): \(request.url) lacks ?\(subresource)", file: file, line: line)
        }
        let checksum = spec["httpChecksum"] as? [String: Any]
        if checksum?["requestChecksumRequired"] as? Bool == true {
            XCTAssertEqual(request.headers["Content-MD5"], AWS.S3.contentMD5(request.body), "\(operation) needs Content-MD5", file: file, line: line)
        }
        if !request.body.isEmpty, request.headers["Content-Type"] == "application/xml",
           let inputName = (spec["input"] as? [String: Any])?["shape"] as? String {
            try checkBody(request.body, input: inputName, operation: operation, file: file, line: line)
        }
        return request
    }

    /// The body's root element is the payload member's `locationName`, and every element below
    /// is a member of the model shape at that place.
    private func checkBody(_ body: Data, input: String, operation: String, file: StaticString, line: UInt) throws {
        let inputShape = try XCTUnwrap(shapes[input], file: file, line: line)
        let payload = try XCTUnwrap(inputShape["payload"] as? String, "\(operation) has no payload", file: file, line: line)
        let member = try XCTUnwrap((inputShape["members"] as? [String: [String: Any]])?[payload], file: file, line: line)
        let root = try XMLNode.parse(body)
        XCTAssertEqual(root.name, member["locationName"] as? String ?? payload, operation, file: file, line: line)
        checkElement(root, shape: member["shape"] as? String ?? "", path: operation, file: file, line: line)
    }

    private func checkElement(_ node: XMLNode, shape name: String, path: String, file: StaticString, line: UInt) {
        guard let shape = shapes[name] else { return XCTFail("\(path): no shape \(name)", file: file, line: line) }
        switch shape["type"] as? String {
        case "structure":
            let members = shape["members"] as? [String: [String: Any]] ?? [:]
            for child in node.children {
                let match = members.first { memberName, member in
                    let memberShape = shapes[member["shape"] as? String ?? ""] ?? [:]
                    let listMember = memberShape["member"] as? [String: Any]
                    let flattenedName = memberShape["flattened"] as? Bool == true ? listMember?["locationName"] as? String : nil
                    return child.name == (member["locationName"] as? String ?? flattenedName ?? memberName)
                }
                guard let (memberName, member) = match else {
                    XCTFail("\(path): <\(child.name)> is not a member of \(name) (\(members.keys.sorted()))", file: file, line: line)
                    continue
                }
                let memberShapeName = member["shape"] as? String ?? ""
                let memberShape = shapes[memberShapeName] ?? [:]
                if memberShape["type"] as? String == "list", memberShape["flattened"] as? Bool == true,
                   let itemShape = (memberShape["member"] as? [String: Any])?["shape"] as? String {
                    checkElement(child, shape: itemShape, path: "\(path)/\(memberName)", file: file, line: line)
                } else {
                    checkElement(child, shape: memberShapeName, path: "\(path)/\(memberName)", file: file, line: line)
                }
            }
        case "list":
            let item = shape["member"] as? [String: Any] ?? [:]
            for child in node.children {
                XCTAssertEqual(child.name, item["locationName"] as? String ?? "member", path, file: file, line: line)
                checkElement(child, shape: item["shape"] as? String ?? "", path: path, file: file, line: line)
            }
        default:
            XCTAssertTrue(node.children.isEmpty, "\(path): scalar with children", file: file, line: line)
        }
    }

    func testModelLoads() {
        XCTAssertNotNil(operations["PutBucketLifecycleConfiguration"], "botocore's s3 model was not found")
    }

    func testBucketConfigurationWritesMatchTheModel() async throws {
        let bucket = "my-bucket"
        _ = try await check("CreateBucket") { try await $0.createBucket(bucket) }
        _ = try await check("PutBucketVersioning") { try await $0.putBucketVersioning(bucket, status: "Suspended") }
        _ = try await check("PutBucketEncryption") {
            try await $0.putBucketEncryption(bucket, .init(algorithm: "aws:kms", kmsKeyID: "arn:aws:kms:eu-west-1:1:key/k", bucketKeyEnabled: true))
        }
        _ = try await check("PutPublicAccessBlock") {
            try await $0.putPublicAccessBlock(bucket, .init(blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true))
        }
        _ = try await check("PutBucketOwnershipControls") { try await $0.putBucketOwnership(bucket, "BucketOwnerEnforced") }
        _ = try await check("PutBucketCors") {
            try await $0.putBucketCORS(bucket, [.init(id: "web", allowedHeaders: ["*"], allowedMethods: ["GET", "PUT"], allowedOrigins: ["https://a"],
                                                      exposeHeaders: ["ETag"], maxAgeSeconds: 300)])
        }
        _ = try await check("PutBucketWebsite") { try await $0.putBucketWebsite(bucket, .init(indexDocument: "index.html", errorDocument: "404.html")) }
        _ = try await check("PutBucketLifecycleConfiguration") {
            try await $0.putBucketLifecycle(bucket, [.init(id: "tmp", prefix: "tmp/", expirationDays: 7, noncurrentVersionExpirationDays: 30,
                                                           abortIncompleteMultipartUploadDays: 2)])
        }
        _ = try await check("PutBucketTagging") { try await $0.putBucketTags(bucket, ["team": "web"]) }
        let policy = try await check("PutBucketPolicy") { try await $0.putBucketPolicy(bucket, policy: "{}") }
        XCTAssertEqual(policy.headers["Content-Type"], "application/json")
        _ = try await check("DeleteObjects") { try await $0.deleteObjects(bucket, [.init(key: "a b", versionID: "v1"), .init(key: "c", versionID: nil)]) }
        _ = try await check("PutObjectTagging") { try await $0.putObjectTags(bucket, key: "a", ["k": "v"]) }
    }

    func testCreateBucketNamesTheRegionExceptInUSEast1() async throws {
        let elsewhere = try await check("CreateBucket") { try await $0.createBucket("b-eu") }
        XCTAssertEqual(try XMLNode.parse(elsewhere.body).string("LocationConstraint"), "eu-west-1")
        let virginia = try await check("CreateBucket", region: "us-east-1") { try await $0.createBucket("b-us") }
        XCTAssertTrue(virginia.body.isEmpty)
    }

    func testEmptyConfigurationsAreDeletedNotPut() async throws {
        let cors = try await check("DeleteBucketCors") { try await $0.putBucketCORS("b", []) }
        XCTAssertEqual(cors.method, "DELETE")
        let tags = try await check("DeleteBucketTagging") { try await $0.putBucketTags("b", [:]) }
        XCTAssertEqual(tags.method, "DELETE")
        _ = try await check("DeleteBucketLifecycle") { try await $0.putBucketLifecycle("b", []) }
        _ = try await check("DeleteBucketWebsite") { try await $0.putBucketWebsite("b", nil) }
    }

    func testPutObjectSendsMetadataTaggingAndMD5HeadersTheModelNames() async throws {
        let request = try await check("PutObject") {
            try await $0.putObject("b", key: "dir/a b.html", body: Data("hello".utf8),
                                   attributes: .init(contentType: "text/html", cacheControl: "max-age=60", metadata: ["imgstack-md5": "x"],
                                                     tags: ["team": "web & ops"]))
        }
        let members = shapes["PutObjectRequest"]?["members"] as? [String: [String: Any]] ?? [:]
        XCTAssertEqual(members["Metadata"]?["locationName"] as? String, "x-amz-meta-")
        XCTAssertEqual(members["Tagging"]?["locationName"] as? String, "x-amz-tagging")
        XCTAssertEqual(members["CacheControl"]?["locationName"] as? String, "Cache-Control")
        XCTAssertEqual(request.headers["x-amz-meta-imgstack-md5"], "x")
        XCTAssertEqual(request.headers["x-amz-tagging"], "team=web%20%26%20ops")
        XCTAssertEqual(request.headers["Cache-Control"], "max-age=60")
        XCTAssertEqual(request.headers["Content-MD5"], "XUFAKrxLKna5cZ2REBfFkg==")
        XCTAssertEqual(request.url.path, "/b/dir/a b.html")
    }

    func testMissingConfigurationsReadAsAbsent() async throws {
        let notFound = { (code: String) in ScriptedTransport([HTTPResponse.xml(404, "<Error><Code>\(code)</Code><Message>none</Message></Error>")]) }
        let encryption = try await scriptedClient(notFound("ServerSideEncryptionConfigurationNotFoundError")).s3(region: "eu-west-1").bucketEncryption("b")
        XCTAssertNil(encryption)
        let cors = try await scriptedClient(notFound("NoSuchCORSConfiguration")).s3(region: "eu-west-1").bucketCORS("b")
        XCTAssertEqual(cors, [])
        let tags = try await scriptedClient(notFound("NoSuchTagSet")).s3(region: "eu-west-1").bucketTags("b")
        XCTAssertEqual(tags, [:])
        do {
            _ = try await scriptedClient(notFound("NoSuchBucket")).s3(region: "eu-west-1").bucketCORS("b")
            XCTFail("a missing bucket must not read as an empty configuration")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "NoSuchBucket")
        }
    }

    func testObjectVersionsFollowBothMarkersAndIncludeDeleteMarkers() async throws {
        let first = """
        <ListVersionsResult><IsTruncated>true</IsTruncated><NextKeyMarker>b</NextKeyMarker><NextVersionIdMarker>v2</NextVersionIdMarker>
        <Version><Key>a</Key><VersionId>v1</VersionId></Version><DeleteMarker><Key>b</Key><VersionId>v2</VersionId></DeleteMarker></ListVersionsResult>
        """
        let second = "<ListVersionsResult><IsTruncated>false</IsTruncated><Version><Key>c</Key><VersionId>null</VersionId></Version></ListVersionsResult>"
        let transport = ScriptedTransport([HTTPResponse.xml(200, first), HTTPResponse.xml(200, second)])
        let versions = try await scriptedClient(transport).s3(region: "eu-west-1").listObjectVersions("b")
        XCTAssertEqual(versions, [.init(key: "a", versionID: "v1"), .init(key: "b", versionID: "v2"), .init(key: "c", versionID: "null")])
        XCTAssertEqual(transport.requests.last?.url.query, "versions=&key-marker=b&version-id-marker=v2")
    }

    func testDeleteObjectsReportsAKeyS3CouldNotDelete() async throws {
        let answer = "<DeleteResult><Error><Key>locked</Key><Code>AccessDenied</Code><Message>denied</Message></Error></DeleteResult>"
        do {
            try await scriptedClient(ScriptedTransport(body: answer)).s3(region: "eu-west-1").deleteObjects("b", [.init(key: "locked", versionID: nil)])
            XCTFail("a failed key must throw")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "AccessDenied")
            XCTAssertTrue(error.message.contains("locked"))
        }
    }

    func testBucketNotificationIsWrittenWholeAndReadBackByTheModel() async throws {
        let function = "arn:aws:lambda:eu-west-1:123456789012:function:mover"
        let topic = "arn:aws:sns:eu-west-1:123456789012:events"
        let destinations = [
            AWS.S3.NotificationDestination(kind: .lambdaFunction, arn: function, events: ["s3:ObjectCreated:*"], prefix: "uploads/", suffix: ".pdf"),
            AWS.S3.NotificationDestination(kind: .topic, arn: topic, events: ["s3:ObjectRemoved:*", "s3:ObjectRestore:Post"]),
        ]
        let request = try await check("PutBucketNotificationConfiguration") { try await $0.putBucketNotification("my-bucket", destinations) }
        let root = try XMLNode.parse(request.body)
        XCTAssertEqual(root["CloudFunctionConfiguration"]?.string("CloudFunction"), function)
        XCTAssertEqual(root["CloudFunctionConfiguration"]?.path("Filter/S3Key")?.all("FilterRule").map { $0.string("Name") }, ["prefix", "suffix"])
        XCTAssertEqual(root["TopicConfiguration"]?.all("Event").map(\.text), ["s3:ObjectRemoved:*", "s3:ObjectRestore:Post"])
        XCTAssertNil(root["TopicConfiguration"]?["Filter"], "no filter rules, no Filter")
        // No destinations is how a configuration is removed: an empty document, not a DELETE.
        let empty = try await check("PutBucketNotificationConfiguration") { try await $0.putBucketNotification("my-bucket", []) }
        XCTAssertEqual(try XMLNode.parse(empty.body).children, [])

        var read: AWS.S3.NotificationConfiguration?
        _ = try await check("GetBucketNotificationConfiguration", answer: """
            <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CloudFunctionConfiguration><Id>mover</Id>\
            <CloudFunction>\(function)</CloudFunction><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>Prefix</Name>\
            <Value>uploads/</Value></FilterRule></S3Key></Filter></CloudFunctionConfiguration><EventBridgeConfiguration/></NotificationConfiguration>
            """) { read = try await $0.bucketNotification("my-bucket") }
        XCTAssertEqual(read?.destinations, [AWS.S3.NotificationDestination(kind: .lambdaFunction, id: "mover", arn: function,
                                                                           events: ["s3:ObjectCreated:*"], prefix: "uploads/")],
                       "S3 answers filter rule names capitalised; they are read either way")
        XCTAssertEqual(read?.unmodeled, ["EventBridgeConfiguration"], "what imgstack does not model is named, not dropped")
    }
}
