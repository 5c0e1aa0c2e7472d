import Engine
import Foundation
import XCTest

/// Who a lock names as its holder, so another run's "locked by" message says who to ask.
final class LockInfoTests: XCTestCase {
    func testTheHolderIsTheEnvironmentsUserElseTheUserIdsName() throws {
        let entry = try XCTUnwrap(getpwuid(geteuid()))
        let accountName = String(cString: try XCTUnwrap(entry.pointee.pw_name))
        XCTAssertEqual(LockInfo.user(environment: [:]), accountName, "a container's root sets neither USER nor LOGNAME")
        XCTAssertEqual(LockInfo.user(environment: ["USER": ""]), accountName)
        XCTAssertEqual(LockInfo.user(environment: ["LOGNAME": "ci"]), "ci")
        XCTAssertEqual(LockInfo.user(environment: ["USER": "dev", "LOGNAME": "ci"]), "dev")
    }
}
