import AWS
import Engine
import Foundation
import ImgStack
import XCTest

private typealias Bucket = ImgStack.S3.Bucket

final class ObjectTests: XCTestCase {
    private func unique(_ base: String) -> String { "\(base)-\(UUID().uuidString.lowercased().prefix(8))" }

    func testBucketPolicyAppliesReadsBackAndPlansEmpty() async throws {
        let harness = try StackHarness()
        let name = unique("imgstack-policy")
        let declared = Stack("s3-policy") { stack in
            let bucket = stack.add(Bucket("site", bucket: Text(name)))
            stack.add(S3.BucketPolicy("site", bucket: bucket.bucketName, policy: PolicyDocument([
                Statement(effect: .allow, actions: ["s3:GetObject"], resources: [Text("arn:aws:s3:::\(name)/*")],
                          principal: .service("cloudfront.amazonaws.com")),
            ])))
        }
        try await harness.apply(declared)
        let text = try await harness.aws.s3(region: "us-east-1").bucketPolicy(name)
        XCTAssertTrue(text?.contains("cloudfront.amazonaws.com") ?? false, text ?? "no policy")
        let again = try await harness.plan(declared)
        XCTAssertEqual(StackHarness.action(again, "s3.bucket_policy.site"), .noop)
        try await harness.destroy(declared)
        let afterwards = try? await harness.aws.s3(region: "us-east-1").bucketPolicy(name)
        XCTAssertNil(afterwards ?? nil)
    }

    func testObjectUploadsOnlyWhenItsDigestChanges() async throws {
        let harness = try StackHarness()
        let name = unique("imgstack-objects")
        let declare = { (content: String) in
            Stack("s3-object") { stack in
                let bucket = stack.add(Bucket("site", bucket: Text(name), forceDestroy: true))
                stack.add(S3.Object("index", bucket: bucket.bucketName, key: "index.html", content: Text(content), cacheControl: "max-age=60",
                                    tags: ["kind": "page"]))
            }
        }
        try await harness.apply(declare("<h1>one</h1>"))
        let head = try await harness.aws.s3(region: "us-east-1").headObject(name, key: "index.html")
        XCTAssertEqual(head?.contentType, "text/html")
        XCTAssertEqual(head?.cacheControl, "max-age=60")
        let tags = try await harness.aws.s3(region: "us-east-1").objectTags(name, key: "index.html")
        XCTAssertEqual(tags, ["kind": "page"])
        let same = try await harness.plan(declare("<h1>one</h1>"))
        XCTAssertEqual(StackHarness.action(same, "s3.object.index"), .noop)

        let changed = try await harness.apply(declare("<h1>two</h1>"))
        XCTAssertEqual(StackHarness.action(changed, "s3.object.index"), .update)
        let updated = try await harness.aws.s3(region: "us-east-1").headObject(name, key: "index.html")
        XCTAssertEqual(updated?.metadata["imgstack-md5"], "\(ObjectDigestProbe.md5("<h1>two</h1>"))")
        try await harness.destroy(declare("<h1>two</h1>"))
    }

    func testObjectsUploadChangedFilesAndDeleteRemovedOnes() async throws {
        let harness = try StackHarness()
        let name = unique("imgstack-site")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("css"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("<p>home</p>".utf8).write(to: directory.appendingPathComponent("index.html"))
        try Data("body{}".utf8).write(to: directory.appendingPathComponent("css/site.css"))
        let declared = Stack("s3-objects") { stack in
            let bucket = stack.add(Bucket("site", bucket: Text(name), forceDestroy: true))
            stack.add(S3.Objects("files", bucket: bucket.bucketName, directory: directory, prefix: "web/"))
        }
        try await harness.apply(declared)
        let listed = try await harness.aws.s3(region: "us-east-1").listObjects(name, prefix: "web/").map(\.key)
        XCTAssertEqual(listed.sorted(), ["web/css/site.css", "web/index.html"])
        let css = try await harness.aws.s3(region: "us-east-1").headObject(name, key: "web/css/site.css")
        XCTAssertEqual(css?.contentType, "text/css")
        let same = try await harness.plan(declared)
        XCTAssertEqual(StackHarness.action(same, "s3.objects.files"), .noop)

        try FileManager.default.removeItem(at: directory.appendingPathComponent("css/site.css"))
        try Data("<p>new</p>".utf8).write(to: directory.appendingPathComponent("index.html"))
        let update = try await harness.apply(declared)
        XCTAssertEqual(StackHarness.action(update, "s3.objects.files"), .update)
        let after = try await harness.aws.s3(region: "us-east-1").listObjects(name, prefix: "web/")
        XCTAssertEqual(after.map(\.key), ["web/index.html"])
        XCTAssertEqual(after.first?.etag, ObjectDigestProbe.md5("<p>new</p>"))
        try await harness.destroy(declared)
    }
}

/// MD5 computed independently of the code under test (through `md5sum`).
private enum ObjectDigestProbe {
    static func md5(_ text: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["md5sum"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return String(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(32))
    }
}

/// An object whose inline content names other resources (a site's configuration file).
final class ReferencedContentObjectTests: XCTestCase {
    func testContentWithReferencesIsResolvedComparedAndRepairedAfterDrift() async throws {
        let harness = try StackHarness()
        let name = "imgstack-config-\(UUID().uuidString.prefix(8).lowercased())"
        let declare = { (suffix: String) in
            Stack("s3-config") { stack in
                let bucket = stack.add(S3.Bucket("site", bucket: Text(name), forceDestroy: true))
                let queue = stack.add(SNS.Topic("events", topicName: Text("events-\(suffix)")))
                stack.add(S3.Object("config", bucket: bucket.bucketName, key: "config.js",
                                    content: "window.CONFIG = {\"topic\": \"\(queue.arn)\"};\n", contentType: "text/javascript"))
            }
        }
        let first = declare("one")
        let plan = try await harness.plan(first)
        let planned = try XCTUnwrap(plan.changes.first { $0.address.description == "s3.object.config" })
        XCTAssertEqual(planned.after?["content"], .unknown)
        try await harness.apply(first)

        let expected = "window.CONFIG = {\"topic\": \"arn:aws:sns:us-east-1:123456789012:events-one\"};\n"
        let body = try await harness.aws.s3(region: "us-east-1").storedObject(name, key: "config.js")?.body
        XCTAssertEqual(body.map { String(decoding: $0, as: UTF8.self) }, expected)
        let again = try await harness.plan(first)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        // The referenced value changes: the object is uploaded again with the new one.
        let second = declare("two")
        let update = try await harness.apply(second)
        XCTAssertEqual(StackHarness.action(update, "s3.object.config"), .update)
        let updated = try await harness.aws.s3(region: "us-east-1").storedObject(name, key: "config.js")?.body
        XCTAssertEqual(updated.map { String(decoding: $0, as: UTF8.self) }, expected.replacingOccurrences(of: "events-one", with: "events-two"))

        // Someone overwrites it: the plan shows a content change and apply puts it back.
        try await harness.aws.s3(region: "us-east-1").putObject(name, key: "config.js", body: Data("tampered".utf8),
                                                                attributes: AWS.S3.ObjectAttributes(contentType: "text/javascript"))
        let drift = try await harness.plan(second)
        let change = try XCTUnwrap(drift.changes.first { $0.address.description == "s3.object.config" })
        XCTAssertEqual(change.changedProperties, ["content"])
        try await harness.apply(second)
        let repaired = try await harness.aws.s3(region: "us-east-1").storedObject(name, key: "config.js")?.body
        XCTAssertEqual(repaired.map { String(decoding: $0, as: UTF8.self) }, expected.replacingOccurrences(of: "events-one", with: "events-two"))
        try await harness.destroy(second)
    }
}
