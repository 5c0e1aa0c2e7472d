import AWS
import Foundation

/// The emulator's default VPC, its subnets and security groups, read and made with the EC2 calls,
/// and ACM certificates, for tests of resources that live in a VPC (stacks use a VPC that exists).
/// Signed like every other request and checked by the verifying proxy.
struct DefaultNetwork {
    /// AWS Certificate Manager (JSON 1.1).
    private static let acm = AWSService(signingName: "acm", endpointPrefix: "acm",
                                        wireProtocol: .json(version: "1.1", targetPrefix: "CertificateManager"), endpointEnvironmentID: "ACM")

    let aws: AWSClient
    /// The default VPC's id.
    let vpcID: String
    /// Its default subnets, one per Availability Zone, sorted by zone.
    let subnets: [String]

    /// Reads the default VPC and its default subnets (`DescribeVpcs`, `DescribeSubnets`).
    static func read(_ aws: AWSClient) async throws -> DefaultNetwork {
        guard let vpcID = try await aws.ec2.describeVpcs(filters: [.isDefault(true)]).first?.id else {
            throw AWSClientError(.invalidResponse, "the emulator has no default VPC")
        }
        let subnets = try await aws.ec2.describeSubnets(filters: [.vpcID(vpcID), .defaultForAZ(true)])
        return DefaultNetwork(aws: aws, vpcID: vpcID, subnets: subnets.sorted { $0.availabilityZone < $1.availabilityZone }.map(\.id))
    }

    /// Creates a security group in the default VPC (`CreateSecurityGroup`).
    /// - Returns: its id.
    func createSecurityGroup(_ name: String) async throws -> String {
        try await aws.ec2.createSecurityGroup(name: name, description: "imgstack test \(name)", vpcID: vpcID, tags: [:])
    }

    /// Deletes a security group (`DeleteSecurityGroup`).
    func deleteSecurityGroup(_ id: String) async throws {
        try await aws.ec2.deleteSecurityGroup(id)
    }

    /// Requests an ACM certificate for `domain` (`RequestCertificate`), which the emulator issues at once.
    /// - Returns: its ARN.
    func requestCertificate(_ domain: String) async throws -> String {
        struct Answer: Decodable { var CertificateArn: String }
        return try await aws.json(Self.acm, "RequestCertificate", ["DomainName": domain], as: Answer.self).CertificateArn
    }
}
