import Engine
import XCTest

extension StackHarness {
    /// The recorded snapshot at `address`, failing the test when there is none.
    func recorded(_ address: String, file: StaticString = #filePath, line: UInt = #line) async throws -> ResourceSnapshot {
        let snapshot = try await self.snapshot(address)
        return try XCTUnwrap(snapshot, "nothing recorded at \(address)", file: file, line: line)
    }

    /// The recorded ARN of the resource at `address`.
    func recordedARN(_ address: String, file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        let arn = try await recorded(address, file: file, line: line).attributes["arn"]?.stringValue
        return try XCTUnwrap(arn, "no arn recorded at \(address)", file: file, line: line)
    }
}
