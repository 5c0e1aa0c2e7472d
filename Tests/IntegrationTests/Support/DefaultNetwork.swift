import AWS
import Foundation

/// The emulator's default VPC, its subnets and security groups, read and made with plain EC2
/// and ACM calls for tests of resources that live in a VPC (imgstack declares no VPC: stacks use
/// one that exists). Signed like every other request and checked by the verifying proxy.
struct DefaultNetwork {
    /// EC2 (query protocol with EC2's own list form: `Filter.1.Value.1`, answers with `item` lists).
    private static let ec2 = AWSService(signingName: "ec2", endpointPrefix: "ec2", wireProtocol: .query(version: "2016-11-15"),
                                        endpointEnvironmentID: "EC2")
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
        let vpcs = try await aws.query(ec2, "DescribeVpcs", ["Filter.1.Name": "isDefault", "Filter.1.Value.1": "true"])
        guard let vpcID = vpcs.list("vpcSet").first?.string("vpcId") else {
            throw AWSClientError(.invalidResponse, "the emulator has no default VPC")
        }
        let subnets = try await aws.query(ec2, "DescribeSubnets", ["Filter.1.Name": "vpc-id", "Filter.1.Value.1": vpcID,
                                                                    "Filter.2.Name": "default-for-az", "Filter.2.Value.1": "true"])
        let byZone = subnets.list("subnetSet").map { ($0.string("availabilityZone") ?? "", $0.string("subnetId") ?? "") }
        return DefaultNetwork(aws: aws, vpcID: vpcID, subnets: byZone.sorted { $0.0 < $1.0 }.map(\.1))
    }

    /// Creates a security group in the default VPC (`CreateSecurityGroup`).
    /// - Returns: its id.
    func createSecurityGroup(_ name: String) async throws -> String {
        let result = try await aws.query(Self.ec2, "CreateSecurityGroup", ["GroupName": name, "GroupDescription": "imgstack test \(name)",
                                                                           "VpcId": vpcID])
        return result.string("groupId") ?? ""
    }

    /// Deletes a security group (`DeleteSecurityGroup`).
    func deleteSecurityGroup(_ id: String) async throws {
        _ = try await aws.query(Self.ec2, "DeleteSecurityGroup", ["GroupId": id])
    }

    /// Requests an ACM certificate for `domain` (`RequestCertificate`), which the emulator issues at once.
    /// - Returns: its ARN.
    func requestCertificate(_ domain: String) async throws -> String {
        struct Answer: Decodable { var CertificateArn: String }
        return try await aws.json(Self.acm, "RequestCertificate", ["DomainName": domain], as: Answer.self).CertificateArn
    }
}
