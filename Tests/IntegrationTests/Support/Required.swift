import XCTest

/// `XCTUnwrap` for a value an `await` produced: its autoclosure cannot await, a plain argument can
/// (`let id = try required(await harness.snapshot("…")?.id)`).
func required<T>(_ value: T?, _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) throws -> T {
    try XCTUnwrap(value, message(), file: file, line: line)
}
