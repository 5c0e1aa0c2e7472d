import Foundation
import XCTest
@testable import AWS

/// The region check made before any call: a region's shape always, membership of a known
/// partition unless the user opted out.
final class AWSRegionsTests: XCTestCase {
    func testRegionNamesOfEveryKnownShapeAreWellFormed() {
        for region in ["us-east-1", "eu-central-2", "us-gov-west-1", "cn-northwest-1", "xx-nowhere-9"] {
            XCTAssertTrue(AWSRegions.isWellFormed(region), region)
        }
        for region in ["not a region!", "", "us-east", "US-EAST-1", "us--1", "us-east-", "-east-1", "us-east-1/x", "us_east_1"] {
            XCTAssertFalse(AWSRegions.isWellFormed(region), region)
        }
    }

    func testAMalformedRegionIsRefusedEvenWithTheOptOut() {
        XCTAssertThrowsError(try AWSRegions.validate("not a region!", allowUnknown: true)) { error in
            XCTAssertEqual((error as? AWSClientError)?.message, "region \"not a region!\" is not a region name (such as eu-west-1)")
        }
    }

    func testATypoIsRefusedUnlessUnknownRegionsAreAllowed() throws {
        XCTAssertThrowsError(try AWSRegions.validate("us-esat-1", allowUnknown: false)) { error in
            XCTAssertTrue((error as? AWSClientError)?.message.hasPrefix("region us-esat-1 is not a known region") ?? false, "\(error)")
        }
        try AWSRegions.validate("us-esat-1", allowUnknown: true)
        try AWSRegions.validate("cn-north-1", allowUnknown: false)
        XCTAssertEqual(AWSRegions.partition(of: "us-gov-east-1"), "aws-us-gov")
        XCTAssertEqual(AWSRegions.partition(of: "eu-west-1"), "aws")
    }

    /// Every region listed is one botocore lists in the same partition (skipped without botocore).
    func testTheListMatchesBotocoresEndpoints() throws {
        let script = """
        import botocore, json, os
        d = json.load(open(os.path.join(os.path.dirname(botocore.__file__), "data", "endpoints.json")))
        print(json.dumps({p["partition"]: sorted(p["regions"]) for p in d["partitions"]}))
        """
        let data = BotocoreModel.run(["python3", "-c", script])
        guard let partitions = try? JSONSerialization.jsonObject(with: data) as? [String: [String]] else {
            throw XCTSkip("botocore is not installed")
        }
        for (partition, regions) in AWSRegions.known {
            XCTAssertEqual(regions, Set(partitions[partition] ?? []), partition)
        }
    }
}
