import Foundation
import ImgStack

/// The bucket the images go to, and the upload function (`upload/`, Python) that checks and
/// stores them, with its role and its log group.
struct UploadAPIFunction {
    let bucket: S3.Bucket
    let function: Lambda.Function
    /// The function's log group, declared so destroy deletes it (Lambda would create it on the
    /// first run and leave it behind).
    let logGroup: CloudWatch.LogGroup

    /// Days the function's and the stage's logs are kept.
    static let logRetentionDays = 30

    init(_ stack: StackBuilder, settings: UploadAPISettings) {
        bucket = stack.add(S3.Bucket("images", bucket: Text(settings.bucketName), encryption: .s3Managed,
                                     publicAccessBlock: S3.PublicAccessBlock(), tags: settings.tags,
                                     forceDestroy: settings.deleteImagesOnDestroy))
        logGroup = stack.add(CloudWatch.LogGroup("upload", name: Text(settings.functionLogGroup),
                                                 retentionInDays: Self.logRetentionDays, tags: settings.tags))
        let role = stack.add(IAM.Role(
            "upload", name: Text(settings.functionName),
            assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com")),
            ]),
            description: "Runs the \(settings.service) upload function",
            inlinePolicies: ["upload": PolicyDocument([
                Statement(sid: "WriteOwnLogs", effect: .allow, actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
                          resources: ["\(logGroup.arn):*"]),
                Statement(sid: "StoreImages", effect: .allow, actions: ["s3:PutObject"], resources: ["\(bucket.arn)/*"]),
            ])],
            tags: settings.tags))
        function = stack.add(Lambda.Function(
            "upload", functionName: Text(settings.functionName), source: UploadAPIFiles.uploadFunction,
            runtime: "python3.12", handler: "upload.handler", role: role.arn, memorySize: 256, timeout: 10,
            environment: ["BUCKET_NAME": bucket.bucketName, "ALLOWED_TYPES": Text(settings.allowedTypes.joined(separator: ",")),
                          "MAX_UPLOAD_BYTES": Text(String(settings.maxUploadBytes))],
            tags: settings.tags).dependsOn(logGroup))
    }
}

/// Where the stack's own files are: in the `Stacks` module's resource bundle, so the stack works
/// whatever the current directory.
enum UploadAPIFiles {
    /// The upload function's code (`upload/`), without its tests.
    static var uploadFunction: URL {
        Bundle.module.url(forResource: "upload", withExtension: nil) ?? Bundle.module.bundleURL.appendingPathComponent("upload")
    }
}
