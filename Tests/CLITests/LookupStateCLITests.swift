import Foundation
import TestSupport
import XCTest

/// What an apply recorded of the stack's lookups, as `state list` and `state show` print it.
final class LookupStateCLITests: XCTestCase {
    func testStateListsAndShowsWhatALookupRead() async throws {
        let cli = try CLI()
        let state = """
        {"format_version": 1, "lineage": "l-1", "serial": 3, "stack": "quickstart", "resources": [],
         "lookups": [{"address": "lookup.kms.key.shared", "region": "eu-west-1", "arguments": {"alias": "alias/shared"},
                      "attributes": {"arn": "arn:aws:kms:eu-west-1:123456789012:key/k-1", "keyID": "k-1", "keyState": "Enabled"}}]}
        """
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: cli.path(".imgstack/quickstart.state.json"), contents: Data(state.utf8)))
        let stack = ["--stack", "quickstart", "--region", "eu-west-1"]

        let list = try await cli.run(["state", "list"] + stack)
        XCTAssertEqual(list.status, 0, list.standardError)
        XCTAssertEqual(list.standardOutput, "lookup.kms.key.shared (read-only lookup)\n")

        let show = try await cli.run(["state", "show", "lookup.kms.key.shared"] + stack)
        XCTAssertEqual(show.status, 0, show.standardError)
        XCTAssertEqual(show.standardOutput, """
        # lookup.kms.key.shared (read-only lookup, as read at the last apply)
        region = "eu-west-1"
        argument alias = "alias/shared"
        arn = "arn:aws:kms:eu-west-1:123456789012:key/k-1"
        keyID = "k-1"
        keyState = "Enabled"

        """)
    }
}
