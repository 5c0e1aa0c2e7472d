import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// CloudFront writes a distribution's configuration whole. A setting added outside imgstack that
/// the stack's form cannot express (an alias, a web ACL, a CloudFront Function on a behaviour)
/// is named in the plan as drift, and the next apply writes the stack's configuration back.
final class DistributionUnmanagedSettingsTests: XCTestCase {
    private func declare(_ comment: String) -> Stack {
        Stack("cloudfront-unmanaged-settings") { stack in
            stack.add(ImgStack.CloudFront.Distribution(
                "cdn", comment: comment,
                origins: [ImgStack.CloudFront.Origin(id: "site", domainName: "site-bucket.s3.us-east-1.amazonaws.com")],
                defaultCacheBehavior: ImgStack.CloudFront.CacheBehavior(targetOriginID: "site"), waitForDeployment: false))
        }
    }

    /// One change made outside imgstack, as an edit of the configuration AWS returns.
    private struct Console {
        var name: String
        var property: String
        var named: String
        var edit: (inout XMLNode) -> Void
    }

    private static func replace(_ node: inout XMLNode, _ name: String, with child: XMLNode) {
        node.children.removeAll { $0.name == name }
        node.children.append(child)
    }

    private let changes = [
        Console(name: "an alternate domain name", property: "unmanagedByImgstack", named: "Aliases") { config in
            replace(&config, "Aliases", with: XMLNode("Aliases", children: [
                XMLNode("Quantity", text: "1"), XMLNode("Items", children: [XMLNode("CNAME", text: "images.example.com")]),
            ]))
        },
        // Modelled now (`webACLID`): a web ACL attached outside imgstack is drift of that property.
        Console(name: "a web ACL", property: "webACLID", named: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/1") { config in
            replace(&config, "WebACLId", with: XMLNode("WebACLId", text: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/site/1"))
        },
        Console(name: "a CloudFront Function on the default behaviour", property: "defaultCacheBehavior", named: "FunctionAssociations") { config in
            guard let index = config.children.firstIndex(where: { $0.name == "DefaultCacheBehavior" }) else { return }
            replace(&config.children[index], "FunctionAssociations", with: XMLNode("FunctionAssociations", children: [
                XMLNode("Quantity", text: "1"), XMLNode("Items", children: [XMLNode("FunctionAssociation", children: [
                    XMLNode("FunctionARN", text: "arn:aws:cloudfront::123456789012:function/rewrite"),
                    XMLNode("EventType", text: "viewer-request"),
                ])]),
            ]))
        },
    ]

    private func change(_ id: String, _ console: Console, aws: AWSClient) async throws {
        let path = "/2020-05-31/distribution/\(id)/config"
        let current = try await aws.rest(.cloudFront, "GetDistributionConfig", method: "GET", path: path, region: "us-east-1")
        var config = try XMLNode.parse(current.body)
        config.attributes["xmlns"] = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
        console.edit(&config)
        _ = try await aws.rest(.cloudFront, "UpdateDistribution", method: "PUT", path: path,
                               headers: ["If-Match": current.headers["ETag"] ?? "", "Content-Type": "application/xml"],
                               body: config.document, region: "us-east-1")
    }

    func testSettingsTheStackCannotExpressShowAsDriftAndAreWrittenBack() async throws {
        let harness = try StackHarness()
        let stack = declare("unmanaged \(UUID().uuidString.prefix(8))")
        try await harness.apply(stack)
        let recorded = try await harness.snapshot("cloudfront.distribution.cdn")
        let id = try XCTUnwrap(recorded?.id)

        for console in changes {
            try await change(id, console, aws: harness.aws)
            try await harness.assertUnmanagedDriftIsShownAndRepaired(stack, "cloudfront.distribution.cdn", property: console.property,
                                                                     named: [console.named], console.name)
        }
        try await harness.destroy(stack)
    }
}
