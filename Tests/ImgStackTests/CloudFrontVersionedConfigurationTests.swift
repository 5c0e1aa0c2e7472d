import AWS
import Engine
import Foundation
@testable import ImgStack
import Synchronization
import XCTest

private typealias CF = ImgStack.CloudFront

/// The ETag handling every versioned CloudFront configuration shares
/// (``VersionedConfigurationType``), on scripted answers: an update and a delete send the ETag of
/// a fresh read, never the one state recorded; a configuration already gone is deleted; a name
/// is found again across list pages.
final class CloudFrontVersionedConfigurationTests: XCTestCase {
    private static func answer(_ body: String, etag: String? = nil) -> HTTPResponse {
        HTTPResponse(statusCode: 200, headers: etag.map { ["ETag": $0] } ?? [:], body: Data(body.utf8))
    }

    private static func error(_ status: Int, _ code: String) -> HTTPResponse {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>scripted</Message></Error></ErrorResponse>"
        return HTTPResponse(statusCode: status, body: Data(body.utf8))
    }

    private static func control(_ id: String, name: String = "images-oac", description: String = "") -> String {
        "<OriginAccessControl><Id>\(id)</Id><OriginAccessControlConfig><Name>\(name)</Name><Description>\(description)</Description>"
            + "<SigningProtocol>sigv4</SigningProtocol><SigningBehavior>always</SigningBehavior>"
            + "<OriginAccessControlOriginType>s3</OriginAccessControlOriginType></OriginAccessControlConfig></OriginAccessControl>"
    }

    private static let policy = "<ResponseHeadersPolicy><Id>P1</Id><ResponseHeadersPolicyConfig><Comment></Comment><Name>cors</Name>"
        + "</ResponseHeadersPolicyConfig></ResponseHeadersPolicy>"

    private func context(_ script: Script, type: String) -> OperationContext {
        var configuration = AWSClient.Configuration(region: "eu-west-1", environment: [:])
        configuration.retry = RetryPolicy(maxAttempts: 1, baseDelay: 0.001)
        let client = AWSClient(configuration: configuration, credentials: { AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret") },
                               transport: script)
        return OperationContext(address: Address(type: type, name: "it"), region: "eu-west-1", client: client)
    }

    private let controlType = CF.OriginAccessControl.makeType()
    private let controlAddress = CF.OriginAccessControl.typeName
    private let recordedControl = ResourceSnapshot(id: "O1", properties: ["name": "images-oac", "description": "old"],
                                                   attributes: ["etag": "STALE"])

    func testUpdateSendsTheETagOfAFreshReadNotTheRecordedOne() async throws {
        let script = Script([Self.answer(Self.control("O1", description: "old"), etag: "FRESH"),
                             Self.answer(Self.control("O1", description: "new"), etag: "NEWER")])
        let desired: [String: Value] = ["name": "images-oac", "description": "new"]
        let updated = try await controlType.update(recordedControl, to: desired, changed: ["description"],
                                                   context: context(script, type: controlAddress))
        XCTAssertEqual(script.requests.map(\.method), ["GET", "PUT"])
        XCTAssertEqual(script.requests.last?.url.path, "/2020-05-31/origin-access-control/O1/config")
        XCTAssertEqual(script.requests.last?.headers["If-Match"], "FRESH")
        XCTAssertEqual(updated.attributes["etag"], "NEWER")
        XCTAssertEqual(updated.properties, desired)
    }

    func testPolicyUpdatePutsToThePolicyItselfWithTheFreshETag() async throws {
        let script = Script([Self.answer(Self.policy, etag: "FRESH"), Self.answer(Self.policy, etag: "NEWER")])
        let type = CF.ResponseHeadersPolicy.makeType()
        let recorded = ResourceSnapshot(id: "P1", properties: ["name": "cors", "comment": ""], attributes: ["etag": "STALE"])
        let updated = try await type.update(recorded, to: ["name": "cors", "comment": "", "cors": .null], changed: ["cors"],
                                            context: context(script, type: CF.ResponseHeadersPolicy.typeName))
        XCTAssertEqual(script.requests.last?.url.path, "/2020-05-31/response-headers-policy/P1")
        XCTAssertEqual(script.requests.last?.headers["If-Match"], "FRESH")
        XCTAssertEqual(updated.attributes["etag"], "NEWER")
        XCTAssertEqual(updated.properties["cors"], .null)
    }

    func testAConcurrentChangeBetweenReadAndUpdateIsReportedNotRetried() async throws {
        let script = Script([Self.answer(Self.control("O1"), etag: "FRESH"), Self.error(412, "PreconditionFailed")])
        do {
            _ = try await controlType.update(recordedControl, to: ["name": "images-oac", "description": "new"], changed: ["description"],
                                             context: context(script, type: controlAddress))
            XCTFail("a refused ETag must fail the update")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .preconditionFailed)
        }
        XCTAssertEqual(script.requests.count, 2)
    }

    func testDeleteSendsTheETagOfAFreshRead() async throws {
        let script = Script([Self.answer(Self.control("O1"), etag: "CURRENT"), HTTPResponse(statusCode: 204)])
        try await controlType.delete(recordedControl, context: context(script, type: controlAddress))
        XCTAssertEqual(script.requests.map(\.method), ["GET", "DELETE"])
        XCTAssertEqual(script.requests.last?.url.path, "/2020-05-31/origin-access-control/O1")
        XCTAssertEqual(script.requests.last?.headers["If-Match"], "CURRENT")
    }

    func testDeletingAConfigurationAlreadyGoneSucceeds() async throws {
        let gone = Script([Self.error(404, "NoSuchOriginAccessControl")])
        try await controlType.delete(recordedControl, context: context(gone, type: controlAddress))
        XCTAssertEqual(gone.requests.map(\.method), ["GET"])

        let goneMeanwhile = Script([Self.answer(Self.control("O1"), etag: "CURRENT"), Self.error(404, "NoSuchOriginAccessControl")])
        try await controlType.delete(recordedControl, context: context(goneMeanwhile, type: controlAddress))
        XCTAssertEqual(goneMeanwhile.requests.map(\.method), ["GET", "DELETE"])

        let read = try await controlType.read(recordedControl, context: context(Script([Self.error(404, "NoSuchOriginAccessControl")]),
                                                                                 type: controlAddress))
        XCTAssertNil(read)
    }

    func testACrashedCreateIsFoundByNameAcrossListPagesWithItsCurrentETag() async throws {
        let first = "<OriginAccessControlList><IsTruncated>true</IsTruncated><NextMarker>page2</NextMarker><Items>"
            + "<OriginAccessControlSummary><Id>O0</Id><Name>other</Name></OriginAccessControlSummary></Items></OriginAccessControlList>"
        let second = "<OriginAccessControlList><IsTruncated>false</IsTruncated><Items>"
            + "<OriginAccessControlSummary><Id>O1</Id><Name>images-oac</Name></OriginAccessControlSummary></Items></OriginAccessControlList>"
        let script = Script([Self.answer(first), Self.answer(second),
                             Self.answer(Self.control("O1", description: "imgstack:intent=i-1"), etag: "CURRENT")])
        var crashed = context(script, type: controlAddress)
        crashed.intentID = "i-1"
        let found = try await controlType.findCreated(from: ["name": "images-oac"], context: crashed)
        XCTAssertEqual(found?.id, "O1")
        XCTAssertEqual(found?.properties, ["name": "images-oac"])
        XCTAssertEqual(found?.attributes["etag"], "CURRENT")
        XCTAssertEqual(script.requests.map(\.url.path), ["/2020-05-31/origin-access-control", "/2020-05-31/origin-access-control",
                                                         "/2020-05-31/origin-access-control/O1"])
        XCTAssertEqual(script.requests[1].url.query, "Marker=page2")
    }

    /// These configurations take no tags: a create sends its intent in the note member, so a run
    /// killed before CloudFront answered leaves a proof of whose create it was, and writes the
    /// declared note back with the ETag CloudFront answered.
    func testACreateCarriesItsIntentInTheDescriptionUntilCloudFrontAnswers() async throws {
        let script = Script([Self.answer(Self.control("O1", description: "imgstack:intent=i-1"), etag: "FIRST"),
                             Self.answer(Self.control("O1", description: "images bucket"), etag: "SECOND")])
        var creating = context(script, type: controlAddress)
        creating.intentID = "i-1"
        let created = try await controlType.create(["name": "images-oac", "description": "images bucket"], context: creating)
        XCTAssertEqual(script.requests.map(\.method), ["POST", "PUT"])
        XCTAssertTrue(String(decoding: script.requests[0].body, as: UTF8.self).contains("<Description>imgstack:intent=i-1</Description>"))
        XCTAssertTrue(String(decoding: script.requests[1].body, as: UTF8.self).contains("<Description>images bucket</Description>"))
        XCTAssertEqual(script.requests[1].headers["If-Match"], "FIRST")
        XCTAssertEqual(created.properties, ["name": "images-oac", "description": "images bucket"])
        XCTAssertEqual(created.attributes["etag"], "SECOND")
    }

    func testAControlFoundByNameWithoutTheCrashedCreatesMarkIsNotAdopted() async throws {
        let list = "<OriginAccessControlList><IsTruncated>false</IsTruncated><Items>"
            + "<OriginAccessControlSummary><Id>O1</Id><Name>images-oac</Name></OriginAccessControlSummary></Items></OriginAccessControlList>"
        for description in ["", "someone else's", "imgstack:intent=i-2"] {
            let script = Script([Self.answer(list), Self.answer(Self.control("O1", description: description), etag: "CURRENT")])
            var crashed = context(script, type: controlAddress)
            crashed.intentID = "i-1"
            let found = try await controlType.findCreated(from: ["name": "images-oac"], context: crashed)
            XCTAssertNil(found, "description \"\(description)\"")
        }
    }
}
