import AWS
import Engine
import Foundation
import ImgStack
import Stacks
import XCTest

/// The album's `config.js` tells the page where AWS is: AWS's own hosts by default, and the
/// endpoints a run overrides (`--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`), so the page of a
/// stack applied to an emulator calls that emulator. No emulator needed: the stack is evaluated.
final class ImageServerSiteConfigTests: XCTestCase {
    func testConfigNamesNoEndpointsAgainstAWS() throws {
        let config = try siteConfig(EndpointResolver())
        XCTAssertNil(config["endpoints"], "\(config)")
        XCTAssertEqual(config["region"] as? String, "eu-west-1")
    }

    func testEndpointURLGoesToEveryServiceThePageCalls() throws {
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:4566/"))
        let config = try siteConfig(EndpointResolver(endpointURL: url))
        XCTAssertEqual(config["endpoints"] as? [String: String], [
            "s3": "http://127.0.0.1:4566", "cognito-idp": "http://127.0.0.1:4566", "cognito-identity": "http://127.0.0.1:4566",
        ])
    }

    func testServiceEndpointsFromTheEnvironmentGoToTheirServiceOnly() throws {
        let config = try siteConfig(EndpointResolver(environment: ["AWS_ENDPOINT_URL_S3": "http://minio.local:9000"]))
        XCTAssertEqual(config["endpoints"] as? [String: String], ["s3": "http://minio.local:9000"])
        let ignored = try siteConfig(EndpointResolver(environment: [
            "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        ]))
        XCTAssertNil(ignored["endpoints"], "\(ignored)")
    }

    /// The `config.js` object of the evaluated stack, each reference read as "ref".
    private func siteConfig(_ endpoints: EndpointResolver) throws -> [String: Any] {
        let evaluation = try imageServer.evaluate(variables: [:], region: "eu-west-1", endpoints: endpoints)
        let object = try XCTUnwrap(evaluation.definition.resources.first { $0.address.description == "s3.object.config" })
        let content = try XCTUnwrap(object.properties["content"])
        var parts = [content]
        if case .concat(let pieces) = content { parts = pieces }
        let text = parts.map { part -> String in
            if case .value(.string(let literal)) = part { return literal }
            return "ref"
        }.joined()
        let prefix = "window.IMAGE_SERVER_CONFIG = "
        XCTAssertTrue(text.hasPrefix(prefix), text)
        let json = text.dropFirst(prefix.count).trimmingCharacters(in: .whitespacesAndNewlines).dropLast()
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], text)
    }
}
