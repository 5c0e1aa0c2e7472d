/// Amazon S3 resource types: buckets, bucket policies and objects.
///
/// ```swift
/// let site = stack.add(S3.Bucket("site", website: S3.Website(indexDocument: "index.html")))
/// stack.add(S3.Objects("files", bucket: site.bucketName, directory: siteDirectory))
/// ```
public enum S3 {}
