@testable import ImgStack
import XCTest

/// `ConcurrentReads`: what a read sent alongside a resource's existence read answers, when the
/// resource is gone, when the tags read by the recorded ARN fails, and when the ARN changed.
final class ConcurrentReadsTests: XCTestCase {
    private struct NotFound: Error {}

    /// The ARNs tags were read by, in order.
    private final class TagReads: @unchecked Sendable {
        private let lock = NSLock()
        private var arns: [String] = []
        func read(_ arn: String, failing: Set<String> = []) throws -> [String: String] {
            lock.withLock { arns.append(arn) }
            if failing.contains(arn) { throw NotFound() }
            return ["arn": arn]
        }
        var all: [String] { lock.withLock { arns } }
    }

    func testTheRestsErrorIsDroppedWhenTheResourceIsGone() async throws {
        let answer = try await ConcurrentReads.alongside({ () async throws -> String? in nil }, { () async throws -> String in throw NotFound() })
        XCTAssertNil(answer)
    }

    func testTheRestsErrorIsThrownWhenTheResourceIsThere() async throws {
        do {
            _ = try await ConcurrentReads.alongside({ () async throws -> String? in "there" }, { () async throws -> String in throw NotFound() })
            XCTFail("the rest's error was dropped although the resource is there")
        } catch is NotFound {}
    }

    func testTagsReadByTheRecordedARNAreUsedWhenTheResourceHasThatARN() async throws {
        let reads = TagReads()
        let answer = try await ConcurrentReads.withTags({ "arn:1" }, arn: { $0 }, recordedARN: "arn:1", readsTags: true,
                                                        tags: { try reads.read($0) })
        XCTAssertEqual(answer?.1, ["arn": "arn:1"])
        XCTAssertEqual(reads.all, ["arn:1"])
    }

    func testTagsAreReadAgainByTheResourcesARNWhenItChanged() async throws {
        let reads = TagReads()
        let answer = try await ConcurrentReads.withTags({ "arn:2" }, arn: { $0 }, recordedARN: "arn:1", readsTags: true,
                                                        tags: { try reads.read($0) })
        XCTAssertEqual(answer?.1, ["arn": "arn:2"])
        XCTAssertEqual(reads.all, ["arn:1", "arn:2"])
    }

    func testAFailedReadByTheRecordedARNFallsBackToTheResourcesARN() async throws {
        // A same-named resource in another account: the recorded ARN is not found there.
        let reads = TagReads()
        let answer = try await ConcurrentReads.withTags({ "arn:other" }, arn: { $0 }, recordedARN: "arn:recorded", readsTags: true,
                                                        tags: { try reads.read($0, failing: ["arn:recorded"]) })
        XCTAssertEqual(answer?.1, ["arn": "arn:other"])
    }

    func testNoTagsAreReadWhenNotAsked() async throws {
        let reads = TagReads()
        let answer = try await ConcurrentReads.withTags({ "arn:1" }, arn: { $0 }, recordedARN: "arn:1", readsTags: false,
                                                        tags: { try reads.read($0) })
        XCTAssertEqual(answer?.0, "arn:1")
        XCTAssertNil(answer?.1)
        XCTAssertEqual(reads.all, [])
    }
}
