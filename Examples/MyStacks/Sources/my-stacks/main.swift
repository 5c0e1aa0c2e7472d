import ImgStack
import ImgStackCLI

/// A static site bucket with a landing page: the smallest useful stack.
let landing = Stack("landing", summary: "A versioned bucket with a landing page") { stack in
    let environment = stack.variable("environment", default: "dev", description: "dev, staging or prod")

    let site = stack.add(S3.Bucket("site", versioning: true, publicAccessBlock: S3.PublicAccessBlock(),
                                   tags: ["environment": Text(environment)]))
    stack.add(S3.Object("index", bucket: site.bucketName, key: "index.html",
                        content: "<h1>Hello from \(environment)</h1>\n", cacheControl: "max-age=60"))

    stack.output("bucket", site.bucketName)
    stack.output("bucket_arn", site.arn)
}

await ImgStackCLI.main(stacks: [landing], defaultStack: "landing")
