extension XMLNode {
    /// What a reader of this element leaves out: for every leaf element (one without children)
    /// whose path is not in `read`, the shortest path prefix that no read path starts with —
    /// `Transition` for `Transition/Days`, `Filter/And/Tag` for `Filter/And/Tag/Key` when
    /// `Filter/And/Prefix` is read.
    ///
    /// Used where AWS writes a configuration whole (S3 lifecycle, website): a setting imgstack
    /// does not model is named, never silently dropped.
    /// - Parameter read: `/`-separated paths of the elements the reader takes, relative to this element.
    /// - Returns: the paths left out, sorted, each once.
    public func unread(_ read: [String]) -> [String] {
        let readSet = Set(read)
        var found = Set<String>()
        for leaf in leafPaths() where !readSet.contains(leaf) {
            let steps = leaf.split(separator: "/").map(String.init)
            for count in 1...steps.count {
                let prefix = steps.prefix(count).joined(separator: "/")
                if !read.contains(where: { $0 == prefix || $0.hasPrefix(prefix + "/") }) {
                    found.insert(prefix)
                    break
                }
            }
        }
        return found.sorted()
    }

    /// The `/`-separated paths of the leaf elements under this one.
    private func leafPaths() -> [String] {
        children.flatMap { child in
            child.children.isEmpty ? [child.name] : child.leafPaths().map { child.name + "/" + $0 }
        }
    }
}
