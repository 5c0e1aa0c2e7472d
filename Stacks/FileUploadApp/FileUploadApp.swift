import Foundation
import ImgStack

/// Seed 002's static file upload app: a containerised Flask app on EC2 instances in an
/// auto-scaling group behind an application load balancer in the default VPC's public subnets;
/// users sign in with Cognito (the pool and client ids and the client secret are read from SSM
/// parameters); uploads go to the normal bucket, whose `ObjectCreated` events call the mover
/// function, which moves objects tagged `sensitive=true` into the sensitive bucket (SSE-KMS).
public let fileUploadApp = Stack(
    "file-upload-app",
    summary: "Static file upload app: ALB → EC2 auto-scaling group (container), Cognito ids in SSM, S3 events → mover Lambda → KMS-encrypted bucket"
) { stack in
    let settings = FileUploadAppSettings(stack)
    stack.resourceRegion = settings.region
    let storage = FileUploadAppStorage(stack, settings: settings)
    let identity = FileUploadAppIdentity(stack, settings: settings, key: storage.key)
    let web = FileUploadAppWeb(stack, settings: settings, storage: storage, identity: identity)

    stack.output("url", "http://\(web.loadBalancer.dnsName)", description: "The app, through the load balancer")
    stack.output("normal_bucket", storage.normalBucket.bucketName, description: "Where uploads go")
    stack.output("sensitive_bucket", storage.sensitiveBucket.bucketName, description: "Where objects tagged sensitive=true are moved (SSE-KMS)")
    stack.output("parameter_names", Text(identity.parameterNames.joined(separator: ",")),
                 description: "The SSM parameters the app reads its Cognito settings from")
}

/// Where the stack's own files are: in the `Stacks` module's resource bundle.
enum FileUploadAppFiles {
    /// The mover function's code (`mover/`), without its tests.
    static var mover: URL {
        Bundle.module.url(forResource: "mover", withExtension: nil) ?? Bundle.module.bundleURL.appendingPathComponent("mover")
    }
}
