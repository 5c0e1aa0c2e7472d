import ImgStack

/// The stacks the `imgstack` executable carries.
public enum ShippedStacks {
    /// Every shipped stack.
    public static let all: [Stack] = [imageServer, quickstart, microserviceStorage, deployRole, s3Proxy, uploadAPI, fileUploadApp]

    /// The stack commands use without `--stack`.
    public static let defaultName = "image-server"
}
