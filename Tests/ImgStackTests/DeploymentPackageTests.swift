import Foundation
@testable import ImgStack
import XCTest

/// The zip a Lambda function deploys: byte-identical for the same files, readable by a zip
/// implementation imgstack did not write (Python's `zipfile`).
final class DeploymentPackageTests: XCTestCase {
    private func directory(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("package-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    func testCRC32MatchesTheStandardCheckValue() {
        XCTAssertEqual(CRC32.checksum(Data("123456789".utf8)), 0xCBF4_3926)
    }

    func testSameFilesGiveTheSameBytesWhateverTheirTimestamps() throws {
        let files = ["index.js": "exports.handler = 1;", "lib/jwt.js": "module.exports = {};"]
        let first = try directory(files)
        let second = try directory(files)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)],
                                              ofItemAtPath: second.appendingPathComponent("index.js").path)
        let one = try DeploymentPackage.zipping(directory: first.path)
        let two = try DeploymentPackage.zipping(directory: second.path)
        XCTAssertEqual(one.zip, two.zip)
        XCTAssertEqual(one.sha256, two.sha256)
        XCTAssertEqual(Data(base64Encoded: one.sha256)?.count, 32)
    }

    func testAChangedFileChangesTheDigest() throws {
        let root = try directory(["index.js": "one"])
        let before = try DeploymentPackage.zipping(directory: root.path).sha256
        try Data("two".utf8).write(to: root.appendingPathComponent("index.js"))
        XCTAssertNotEqual(before, try DeploymentPackage.zipping(directory: root.path).sha256)
    }

    func testPythonZipfileReadsEveryEntryWithItsContentsAndMode() throws {
        let root = try directory(["index.js": "exports.handler = 1;", "lib/util.js": "module.exports = 2;", ".hidden": "skipped"])
        let zipURL = root.appendingPathComponent("out.zip")
        try DeploymentPackage.zipping(directory: root.path).zip.write(to: zipURL)
        let script = """
        import sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        for i in z.infolist():
            print(i.filename, i.compress_type, oct(i.external_attr >> 16), i.date_time, z.read(i).decode())
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, zipURL.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(text, """
        index.js 0 0o100644 (1980, 1, 1, 0, 0, 0) exports.handler = 1;
        lib/util.js 0 0o100644 (1980, 1, 1, 0, 0, 0) module.exports = 2;

        """)
    }

    func testAnEmptyDirectoryCannotBePackaged() throws {
        let root = try directory([".only-hidden": "x"])
        XCTAssertThrowsError(try DeploymentPackage.zipping(directory: root.path)) { error in
            XCTAssertTrue("\(error)".contains("no files"), "\(error)")
        }
    }
}
