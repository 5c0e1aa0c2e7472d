import Engine
import Foundation
import ImgStack
import Stacks
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `imgstack import` of an id that cannot name a resource of the address's type exits 1 naming
/// the address and the form expected, and calls nothing: AWS_ENDPOINT_URL points at a local
/// socket that counts the connections made to it (with credentials set, so only the id's check
/// stands between the command and a call).
final class ImportRefusalTests: XCTestCase {
    /// One declaration of each type the shipped stacks declare: the stack and the address.
    private static func shippedDeclarations() throws -> [(stack: String, address: Address)] {
        var seen: Set<String> = []
        var declarations: [(stack: String, address: Address)] = []
        for stack in ShippedStacks.all {
            let evaluation = try stack.evaluate(variables: TerraformPlanJSON.requiredVariables[stack.name] ?? [:], region: "us-east-1")
            for resource in evaluation.definition.resources where seen.insert(resource.address.type).inserted {
                declarations.append((stack.name, resource.address))
            }
        }
        return declarations
    }

    /// The flags that evaluate `stack` (the variables it cannot be evaluated without).
    private static func stackArguments(_ stack: String) -> [String] {
        let variables = TerraformPlanJSON.requiredVariables[stack] ?? [:]
        return ["--stack", stack] + variables.sorted { $0.key < $1.key }.flatMap { ["--var", "\($0.key)=\($0.value.stringValue ?? "")"] }
    }

    private static func cli(endpoint: ConnectionCounter) throws -> CLI {
        var cli = try CLI()
        cli.environment["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE"
        cli.environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        cli.environment["AWS_ENDPOINT_URL"] = endpoint.url
        return cli
    }

    func testAMalformedIDOfEveryShippedTypeIsRefusedWithoutACall() async throws {
        let endpoint = try ConnectionCounter()
        let cli = try Self.cli(endpoint: endpoint)
        let types = ResourceCatalog.types()
        let declarations = try Self.shippedDeclarations()
        XCTAssertGreaterThan(declarations.count, 30, "the shipped stacks declare most types")
        for (stack, address) in declarations {
            let id = try XCTUnwrap(ImportIDExamples.byType[address.type]?.malformed.first, address.type)
            let expected = try XCTUnwrap(types[address.type]?.validateImportID(id), "\(address.type) refuses \(id.debugDescription)")
            let result = try await cli.run(["import"] + Self.stackArguments(stack) + [address.description, id])
            XCTAssertEqual(result.status, 1, "\(address): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("cannot import \(address): \(expected); nothing was called or written"),
                          "\(address): \(result.standardError)")
            XCTAssertEqual(endpoint.takeConnections(), 0, "\(address) \(id.debugDescription) made a call")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.path(".imgstack")), "nothing was locked or written")
        // The rest are held to their check by ImportIDTests alone.
        let undeclared = Set(types.keys).subtracting(declarations.map(\.address.type)).sorted()
        print("ImportRefusalTests: \(declarations.count) of \(types.count) types run through the CLI; declared by no shipped stack: \(undeclared)")
    }

    /// The examples in the issue: a role's ARN with a trailing slash, a topic's name, a function
    /// name with a space, a group id of no hex, a distribution id in lower case.
    func testTheIssuesExamplesAreRefusedNamingTheForm() async throws {
        let endpoint = try ConnectionCounter()
        let cli = try Self.cli(endpoint: endpoint)
        let declarations = Dictionary(try Self.shippedDeclarations().map { ($0.address.type, $0) }) { first, _ in first }
        for (type, id, form) in [("iam.role", "arn:aws:iam::123:role/x/", "an IAM role is imported by its name"),
                                 ("sns.topic", "not-an-arn", "an SNS topic is imported by its ARN (arn:aws:sns:REGION:ACCOUNT:NAME)"),
                                 ("lambda.function", "image resize", "a Lambda function is imported by its name"),
                                 ("ec2.security_group", "sg-web", "a security group is imported by its id (sg- and 8 or 17 hex digits"),
                                 ("cloudfront.distribution", "e2qwruhexample", "a CloudFront distribution is imported by its id")] {
            guard let (stack, address) = declarations[type] else {
                XCTFail("no shipped stack declares a \(type)")
                continue
            }
            let result = try await cli.run(["import"] + Self.stackArguments(stack) + [address.description, id])
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertTrue(result.standardError.contains("cannot import \(address): \(form)"), result.standardError)
            XCTAssertEqual(endpoint.takeConnections(), 0, "\(address) \(id) made a call")
        }
    }

    /// The counter is not blind: a valid id gets past the check and calls the endpoint (which
    /// never answers, so the command then fails on its request timeout).
    func testAValidIDReachesTheEndpoint() async throws {
        let endpoint = try ConnectionCounter()
        let cli = try Self.cli(endpoint: endpoint)
        let result = try await cli.run(["import", "--stack", "quickstart", "--request-timeout", "1s",
                                        "kms.alias.data", "alias/quickstart-data"])
        XCTAssertNotEqual(result.status, 0, result.standardError)
        XCTAssertFalse(result.standardError.contains("cannot import kms.alias.data: "), result.standardError)
        XCTAssertGreaterThan(endpoint.takeConnections(), 0, "the import called the endpoint")
    }
}

/// A listening socket on 127.0.0.1 that never answers: connections to it complete in the
/// kernel's backlog, and are counted (and closed) when a test asks.
final class ConnectionCounter {
    private let socketDescriptor: Int32
    /// `http://127.0.0.1:PORT`.
    let url: String

    init() throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 128) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        socketDescriptor = descriptor
        url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
    }

    /// The connections made since the last call.
    func takeConnections() -> Int {
        var count = 0
        var waiting = pollfd(fd: socketDescriptor, events: Int16(POLLIN), revents: 0)
        while poll(&waiting, 1, 0) > 0 {
            let connection = accept(socketDescriptor, nil, nil)
            guard connection >= 0 else { break }
            close(connection)
            count += 1
        }
        return count
    }

    deinit {
        close(socketDescriptor)
    }
}
