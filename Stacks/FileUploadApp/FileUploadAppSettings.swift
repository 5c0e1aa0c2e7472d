import AWS
import ImgStack

/// The file upload app's variables, read once, with their checks.
struct FileUploadAppSettings {
    /// Added to every name.
    let service: String
    /// Where everything lives.
    let region: String
    /// The app's container image, run on every instance.
    let containerImage: String
    /// The port the container listens on (the load balancer forwards to it).
    let appPort: Int
    /// The instances' type.
    let instanceType: String
    /// The group's fewest and most instances.
    let minSize: Int
    let maxSize: Int
    /// Average CPU (percent) the scaling policy keeps the group at.
    let targetCPU: Double

    init(_ stack: StackBuilder) {
        service = stack.variable("service", default: "file-upload-app", description: "Prefix of every name")
        region = stack.variable("region", default: "us-east-1", description: "Region of every resource")
        // The default image only stands in for the app until its own is given: it answers the
        // load balancer's health checks on port 80, so a first apply ends with healthy instances.
        containerImage = stack.variable("container_image", default: "public.ecr.aws/nginx/nginx:stable",
                                        description: "The app's container image, pulled and run by every instance (a stand-in web server by default)")
        appPort = stack.variable("app_port", default: 80,
                                 description: "The port the app's container listens on, and the instances' port the load balancer forwards to (Flask's own is 5000)")
        instanceType = stack.variable("instance_type", default: "t3.micro", description: "The instances' EC2 type")
        minSize = stack.variable("min_size", default: 1, description: "Fewest instances in the auto-scaling group")
        maxSize = stack.variable("max_size", default: 3, description: "Most instances in the auto-scaling group")
        targetCPU = 30
        if AWSRegions.partition(of: region) == nil {
            stack.invalid("var.region", "\"\(region)\" is not a known AWS region (such as us-east-1)")
        }
        if !(1...65535).contains(appPort) { stack.invalid("var.app_port", "\(appPort) must be 1 to 65535") }
        if minSize < 0 || maxSize < max(minSize, 1) {
            stack.invalid("var.max_size", "\(maxSize) must be at least 1 and at least min_size (\(minSize))")
        }
    }

    /// Tags put on what can carry them.
    var tags: [String: Text] { ["service": Text(service), "stack": "file-upload-app"] }
    /// The mover function's name.
    var moverName: String { "\(service)-mover" }
    /// Prefix of the SSM parameters the app reads.
    var parameterPrefix: String { "/\(service)/cognito" }
}
