import Crypto
import Foundation

/// A Lambda deployment package: the files of a directory in a zip whose bytes depend only on
/// the files' paths, contents and executable bits.
///
/// Entries are sorted by path, dated 1980-01-01 00:00 (the earliest DOS date) and stored
/// without compression. Stored rather than deflated so the bytes — and so the SHA-256 Lambda
/// reports as `CodeSha256` — are the same on every machine: a deflater's output may differ
/// between zlib versions, which would make two machines see a code change that is not one.
/// Hidden files (`.name`) are left out, as in `S3.Objects`.
public struct DeploymentPackage: Sendable, Equatable {
    /// The zip file's bytes.
    public let zip: Data

    /// The SHA-256 of the zip, base64, as Lambda reports it in `CodeSha256`.
    public var sha256: String {
        Data(SHA256.hash(data: zip)).base64EncodedString()
    }

    /// Zips the files of `directory`.
    /// - Parameter directory: the directory's path.
    /// - Returns: the package.
    /// - Throws: `DeploymentPackageError` when the directory has no files, a file cannot be
    ///   read, or the package outgrows a plain zip (65,535 entries, 4 GiB).
    public static func zipping(directory: String) throws -> DeploymentPackage {
        try zipping(directory: directory, adding: [:])
    }

    /// Zips the files of `directory` and files made in memory, such as a configuration file
    /// holding other resources' ids. A made file replaces a directory file of the same path.
    /// - Parameters:
    ///   - directory: the directory's path.
    ///   - generated: more files, by path inside the package (not executable).
    /// - Returns: the package.
    /// - Throws: `DeploymentPackageError`, as `zipping(directory:)`.
    public static func zipping(directory: String, adding generated: [String: Data]) throws -> DeploymentPackage {
        let files = DirectoryListing.files(in: directory)
        guard !files.isEmpty else { throw DeploymentPackageError("\(directory) holds no files to deploy") }
        var entries: [String: (contents: Data, executable: Bool)] = [:]
        for relative in files {
            let path = directory + "/" + relative
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw DeploymentPackageError("cannot read \(path)")
            }
            entries[relative] = (contents, FileManager.default.isExecutableFile(atPath: path))
        }
        for (path, contents) in generated { entries[path] = (contents, false) }
        return try DeploymentPackage(entries: entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value.contents, $0.value.executable) })
    }

    /// Builds a package from in-memory entries, in the order given.
    init(entries: [(path: String, contents: Data, executable: Bool)]) throws {
        guard entries.count < Int(UInt16.max) else { throw DeploymentPackageError("more than 65,534 files") }
        var archive = Data()
        var directory = Data()
        for entry in entries {
            let name = Data(entry.path.utf8)
            let crc = CRC32.checksum(entry.contents)
            guard let size = UInt32(exactly: entry.contents.count), let offset = UInt32(exactly: archive.count),
                  let nameLength = UInt16(exactly: name.count) else {
                throw DeploymentPackageError("\(entry.path) makes the package larger than a plain zip holds")
            }
            // Local file header (APPNOTE 4.3.7): stored, UTF-8 name flag, fixed DOS date.
            archive.append(le32: 0x0403_4b50)
            archive.append(le16: 10)  // version needed: 1.0, stored entries
            archive.append(le16: Self.utf8Flag)
            archive.append(le16: 0)  // method: stored
            archive.append(le16: 0)  // time 00:00:00
            archive.append(le16: Self.dosDate)
            archive.append(le32: crc)
            archive.append(le32: size)
            archive.append(le32: size)
            archive.append(le16: nameLength)
            archive.append(le16: 0)  // no extra field: no timestamps beyond the DOS one
            archive.append(name)
            archive.append(entry.contents)
            // Central directory header (APPNOTE 4.3.12), made by Unix so the mode is kept:
            // Lambda runs files with the permissions the zip gives them.
            let mode: UInt32 = entry.executable ? 0o100755 : 0o100644
            directory.append(le32: 0x0201_4b50)
            directory.append(le16: 3 << 8 | 20)
            directory.append(le16: 10)
            directory.append(le16: Self.utf8Flag)
            directory.append(le16: 0)
            directory.append(le16: 0)
            directory.append(le16: Self.dosDate)
            directory.append(le32: crc)
            directory.append(le32: size)
            directory.append(le32: size)
            directory.append(le16: nameLength)
            directory.append(le16: 0)  // extra
            directory.append(le16: 0)  // comment
            directory.append(le16: 0)  // disk
            directory.append(le16: 0)  // internal attributes
            directory.append(le32: mode << 16)
            directory.append(le32: offset)
            directory.append(name)
        }
        guard let directoryOffset = UInt32(exactly: archive.count), let directorySize = UInt32(exactly: directory.count) else {
            throw DeploymentPackageError("the package is larger than a plain zip holds")
        }
        archive.append(directory)
        // End of central directory record (APPNOTE 4.3.16).
        let count = UInt16(entries.count)
        archive.append(le32: 0x0605_4b50)
        archive.append(le16: 0)
        archive.append(le16: 0)
        archive.append(le16: count)
        archive.append(le16: count)
        archive.append(le32: directorySize)
        archive.append(le32: directoryOffset)
        archive.append(le16: 0)
        zip = archive
    }

    /// General purpose bit 11: file names are UTF-8.
    private static let utf8Flag: UInt16 = 1 << 11
    /// 1980-01-01 in DOS date form: (year - 1980) << 9 | month << 5 | day.
    private static let dosDate: UInt16 = 1 << 5 | 1
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip entries carry it.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

private extension Data {
    mutating func append(le16 value: UInt16) {
        append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8)])
    }

    mutating func append(le32 value: UInt32) {
        append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)])
    }
}
