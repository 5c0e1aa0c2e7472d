import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// S3 writes a lifecycle or website configuration whole. A setting someone adds outside imgstack
/// that the stack's form cannot express (a transition, a tag filter, routing rules) is named
/// in the plan as drift — never read as "No changes" — and the next apply writes the stack's
/// configuration back.
final class BucketUnmanagedSettingsTests: XCTestCase {
    private func declare(_ bucket: String) -> Stack {
        Stack("s3-unmanaged-settings") { stack in
            stack.add(S3.Bucket("data", bucket: Text(bucket), website: S3.Website(indexDocument: "index.html"), lifecycle: [
                S3.LifecycleRule(id: "logs", prefix: "logs/", expirationDays: 30),
                S3.LifecycleRule(id: "tmp", prefix: "tmp/", expirationDays: 1),
            ]))
        }
    }

    /// One change made outside imgstack: the configuration written, the property it concerns,
    /// and what the plan must name.
    private struct Console {
        var name: String
        var subresource: String
        var operation: String
        var document: String
        var property: String
        var named: [String]
    }

    private static let ns = #"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#

    private let changes = [
        Console(name: "a transition to GLACIER added to one rule (the issue's example)", subresource: "lifecycle",
                operation: "PutBucketLifecycleConfiguration", document: """
                <LifecycleConfiguration \(ns)><Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>\
                <Transition><Days>10</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>30</Days></Expiration></Rule>\
                <Rule><ID>tmp</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>\
                </LifecycleConfiguration>
                """, property: "lifecycle", named: ["Transition"]),
        Console(name: "the other rule's filter narrowed to a prefix and a tag (the issue's example)", subresource: "lifecycle",
                operation: "PutBucketLifecycleConfiguration", document: """
                <LifecycleConfiguration \(ns)><Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>\
                <Expiration><Days>30</Days></Expiration></Rule><Rule><ID>tmp</ID><Filter><And><Prefix>tmp/</Prefix>\
                <Tag><Key>class</Key><Value>scratch</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>\
                </LifecycleConfiguration>
                """, property: "lifecycle", named: ["Filter/And/Tag"]),
        Console(name: "routing rules added to the website", subresource: "website", operation: "PutBucketWebsite", document: """
                <WebsiteConfiguration \(ns)><IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules><RoutingRule>\
                <Condition><KeyPrefixEquals>old/</KeyPrefixEquals></Condition><Redirect><ReplaceKeyPrefixWith>new/</ReplaceKeyPrefixWith></Redirect>\
                </RoutingRule></RoutingRules></WebsiteConfiguration>
                """, property: "website", named: ["RoutingRules"]),
    ]

    private func put(_ change: Console, bucket: String, aws: AWSClient) async throws {
        let body = Data(change.document.utf8)
        let md5 = AWS.S3.contentMD5(body)
        _ = try await aws.s3(change.operation, method: "PUT", bucket: bucket, query: [(change.subresource, "")],
                             headers: ["Content-Type": "application/xml", "Content-MD5": md5], body: body, region: "us-east-1")
    }

    func testSettingsTheStackCannotExpressShowAsDriftAndAreWrittenBack() async throws {
        let harness = try StackHarness()
        let bucket = "unmanaged-\(UUID().uuidString.prefix(8).lowercased())"
        let stack = declare(bucket)
        try await harness.apply(stack)

        for change in changes {
            try await put(change, bucket: bucket, aws: harness.aws)
            try await harness.assertUnmanagedDriftIsShownAndRepaired(stack, "s3.bucket.data", property: change.property, named: change.named,
                                                                     change.name)
        }
        // Every setting written back: the bucket matches the stack again.
        let final = try await harness.plan(stack)
        XCTAssertFalse(final.hasChanges, HumanPlanRenderer().render(final))
        try await harness.destroy(stack)
    }
}
