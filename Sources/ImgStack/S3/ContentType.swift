/// The `Content-Type` of a file by its extension, for objects that do not name one.
enum ContentType {
    /// The type for `path`'s extension (case-insensitive); `binary/octet-stream`, S3's own
    /// default, when the extension is unknown.
    static func forPath(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return fallback }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? fallback
    }

    static let fallback = "binary/octet-stream"

    private static let byExtension: [String: String] = [
        "html": "text/html", "htm": "text/html", "css": "text/css", "js": "text/javascript", "mjs": "text/javascript",
        "json": "application/json", "map": "application/json", "xml": "application/xml", "txt": "text/plain", "md": "text/markdown",
        "csv": "text/csv", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "avif": "image/avif", "svg": "image/svg+xml", "ico": "image/x-icon", "pdf": "application/pdf", "wasm": "application/wasm",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf", "mp4": "video/mp4", "webm": "video/webm",
        "mp3": "audio/mpeg", "zip": "application/zip", "gz": "application/gzip",
    ]
}
