import Foundation

/// What the client needs to know about one AWS service: how to sign for it, where it lives
/// and which wire protocol it speaks. Values come from botocore's `service-2.json` metadata.
public struct AWSService: Sendable, Equatable {
    /// The wire protocol a service speaks.
    public enum WireProtocol: Sendable, Equatable {
        /// Form-encoded POST with `Action` and `Version`, XML answers (IAM, STS, SNS, CloudWatch).
        case query(version: String)
        /// The EC2 protocol: query-style requests with `Name.N` lists, XML answers without a
        /// result wrapper, errors under `Response/Errors/Error` (EC2).
        case ec2(version: String)
        /// POST `/` with `X-Amz-Target` and a JSON body; `version` is `"1.0"` or `"1.1"`.
        case json(version: String, targetPrefix: String)
        /// HTTP method and URI per operation, JSON bodies (Lambda).
        case restJSON
        /// HTTP method and URI per operation, XML bodies (S3, CloudFront).
        case restXML
    }

    /// Where a service's endpoint is.
    public enum Scope: Sendable, Equatable {
        /// One endpoint per region: `<prefix>.<region>.amazonaws.com`.
        case regional
        /// One endpoint per partition, signed in a fixed region whatever the caller's region.
        /// - `region`: the signing region in the `aws` partition (`us-east-1`).
        /// - `chinaRegion`: the signing region in the `aws-cn` partition.
        case global(region: String, chinaRegion: String)
    }

    /// The name used in the SigV4 credential scope, e.g. `s3`, `monitoring`.
    public var signingName: String
    /// The first label of the default host name, e.g. `cognito-idp`.
    public var endpointPrefix: String
    /// The wire protocol.
    public var wireProtocol: WireProtocol
    /// The SDK service id in environment-variable form (`COGNITO_IDENTITY_PROVIDER`), read as
    /// `AWS_ENDPOINT_URL_<ID>`.
    public var endpointEnvironmentID: String
    /// Regional or global.
    public var scope: Scope
    /// The prefix of the service's IAM actions (`cloudwatch` in `cloudwatch:PutMetricAlarm`),
    /// from the Service Authorization Reference; the signing name for most services.
    public var actionPrefix: String

    /// Creates a service descriptor.
    /// - Parameter actionPrefix: the IAM action prefix when it is not the signing name.
    public init(signingName: String, endpointPrefix: String, wireProtocol: WireProtocol, endpointEnvironmentID: String, scope: Scope = .regional,
                actionPrefix: String? = nil) {
        self.signingName = signingName
        self.actionPrefix = actionPrefix ?? signingName
        self.endpointPrefix = endpointPrefix
        self.wireProtocol = wireProtocol
        self.endpointEnvironmentID = endpointEnvironmentID
        self.scope = scope
    }

    /// Turns an SDK service id (`Cognito Identity Provider`) into its environment form
    /// (`COGNITO_IDENTITY_PROVIDER`), as the SDKs do for `AWS_ENDPOINT_URL_<SERVICE>`.
    /// - Parameter serviceID: botocore's `metadata.serviceId`.
    /// - Returns: upper-cased with spaces and dashes as underscores.
    public static func environmentID(forServiceID serviceID: String) -> String {
        serviceID.uppercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }
}

// MARK: - Services imgstack uses

extension AWSService {
    /// AWS Security Token Service, regional (`sts.<region>.amazonaws.com`).
    public static let sts = AWSService(signingName: "sts", endpointPrefix: "sts", wireProtocol: .query(version: "2011-06-15"), endpointEnvironmentID: "STS")
    /// Amazon S3.
    public static let s3 = AWSService(signingName: "s3", endpointPrefix: "s3", wireProtocol: .restXML, endpointEnvironmentID: "S3")
    /// AWS Identity and Access Management, global, signed in `us-east-1`.
    public static let iam = AWSService(signingName: "iam", endpointPrefix: "iam", wireProtocol: .query(version: "2010-05-08"), endpointEnvironmentID: "IAM",
                                       scope: .global(region: "us-east-1", chinaRegion: "cn-north-1"))
    /// AWS Key Management Service.
    public static let kms = AWSService(signingName: "kms", endpointPrefix: "kms", wireProtocol: .json(version: "1.1", targetPrefix: "TrentService"), endpointEnvironmentID: "KMS")
    /// Amazon Elastic Container Registry (host `api.ecr.<region>.amazonaws.com`, signed as `ecr`).
    public static let ecr = AWSService(signingName: "ecr", endpointPrefix: "api.ecr",
                                       wireProtocol: .json(version: "1.1", targetPrefix: "AmazonEC2ContainerRegistry_V20150921"),
                                       endpointEnvironmentID: "ECR")
    /// Amazon API Gateway (REST APIs, `apigateway.<region>.amazonaws.com`).
    public static let apiGateway = AWSService(signingName: "apigateway", endpointPrefix: "apigateway", wireProtocol: .restJSON,
                                              endpointEnvironmentID: "API_GATEWAY")
    /// AWS WAF (web ACLs); `CLOUDFRONT` scope lives in `us-east-1`.
    public static let wafv2 = AWSService(signingName: "wafv2", endpointPrefix: "wafv2", wireProtocol: .json(version: "1.1", targetPrefix: "AWSWAF_20190729"),
                                         endpointEnvironmentID: "WAFV2")
    /// AWS Lambda.
    public static let lambda = AWSService(signingName: "lambda", endpointPrefix: "lambda", wireProtocol: .restJSON, endpointEnvironmentID: "LAMBDA")
    /// Amazon CloudFront, global, signed in `us-east-1`.
    public static let cloudFront = AWSService(signingName: "cloudfront", endpointPrefix: "cloudfront", wireProtocol: .restXML, endpointEnvironmentID: "CLOUDFRONT",
                                              scope: .global(region: "us-east-1", chinaRegion: "cn-northwest-1"))
    /// Amazon Cognito user pools.
    public static let cognitoIdentityProvider = AWSService(signingName: "cognito-idp", endpointPrefix: "cognito-idp",
                                                           wireProtocol: .json(version: "1.1", targetPrefix: "AWSCognitoIdentityProviderService"),
                                                           endpointEnvironmentID: "COGNITO_IDENTITY_PROVIDER")
    /// Amazon Cognito identity pools.
    public static let cognitoIdentity = AWSService(signingName: "cognito-identity", endpointPrefix: "cognito-identity",
                                                   wireProtocol: .json(version: "1.1", targetPrefix: "AWSCognitoIdentityService"),
                                                   endpointEnvironmentID: "COGNITO_IDENTITY")
    /// Amazon Simple Notification Service.
    public static let sns = AWSService(signingName: "sns", endpointPrefix: "sns", wireProtocol: .query(version: "2010-03-31"), endpointEnvironmentID: "SNS")
    /// Amazon CloudWatch (metrics and alarms). botocore now prefers CBOR for it, but the
    /// service still answers the query protocol, which needs no extra codec.
    public static let cloudWatch = AWSService(signingName: "monitoring", endpointPrefix: "monitoring", wireProtocol: .query(version: "2010-08-01"), endpointEnvironmentID: "CLOUDWATCH",
                                              actionPrefix: "cloudwatch")
    /// Amazon Elastic Compute Cloud (VPCs, subnets, security groups, launch templates).
    public static let ec2 = AWSService(signingName: "ec2", endpointPrefix: "ec2", wireProtocol: .ec2(version: "2016-11-15"), endpointEnvironmentID: "EC2")
    /// Amazon EC2 Auto Scaling (groups, scaling policies).
    public static let autoScaling = AWSService(signingName: "autoscaling", endpointPrefix: "autoscaling", wireProtocol: .query(version: "2011-01-01"),
                                               endpointEnvironmentID: "AUTO_SCALING")
    /// AWS Systems Manager (Parameter Store).
    public static let ssm = AWSService(signingName: "ssm", endpointPrefix: "ssm", wireProtocol: .json(version: "1.1", targetPrefix: "AmazonSSM"), endpointEnvironmentID: "SSM")
    /// Elastic Load Balancing v2 (application load balancers, target groups, listeners; signed as
    /// `elasticloadbalancing`, API version 2015-12-01).
    public static let elbv2 = AWSService(signingName: "elasticloadbalancing", endpointPrefix: "elasticloadbalancing",
                                         wireProtocol: .query(version: "2015-12-01"), endpointEnvironmentID: "ELASTIC_LOAD_BALANCING_V2")
    /// Amazon CloudWatch Logs.
    public static let cloudWatchLogs = AWSService(signingName: "logs", endpointPrefix: "logs", wireProtocol: .json(version: "1.1", targetPrefix: "Logs_20140328"),
                                                  endpointEnvironmentID: "CLOUDWATCH_LOGS")
}
