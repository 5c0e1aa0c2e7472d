import Engine
import XCTest

extension ResourceType {
    /// `importResource` as `imgstack import` runs it: the id's form is checked first
    /// (`validateImportID`), and an id the emulator made that the check refuses fails the test,
    /// so a check stricter than AWS's ids cannot pass unnoticed.
    func checkedImport(id: String, context: OperationContext, file: StaticString = #filePath, line: UInt = #line) async throws -> ResourceSnapshot? {
        if let problem = validateImportID(id) {
            XCTFail("\(schema.typeName) refuses the import id \(id.debugDescription): \(problem)", file: file, line: line)
        }
        return try await importResource(id: id, context: context)
    }
}
