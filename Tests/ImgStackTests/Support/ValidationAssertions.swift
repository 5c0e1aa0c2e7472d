import Engine
import ImgStack
import XCTest

/// The validation issues a resource's type finds, with no AWS client (validation makes no call).
func validationIssues<R: Resource>(_ resource: R) -> [ValidationIssue] {
    R.makeType().validate(resource.properties, address: resource.address)
}

/// Asserts that `resource` has exactly one issue, naming its address and `property`, whose
/// message contains `text`.
func assertOneIssue<R: Resource>(_ resource: R, property: String, containing text: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
    let found = validationIssues(resource)
    XCTAssertEqual(found.count, 1, "\(found)", file: file, line: line)
    XCTAssertEqual(found.first?.subject, resource.address.description, file: file, line: line)
    XCTAssertEqual(found.first?.property, property, file: file, line: line)
    XCTAssertTrue(found.first?.message.contains(text) ?? false, "\(found)", file: file, line: line)
}
