extension JSONPlanRenderer {
    /// Pretty JSON with two-space indents and sorted keys.
    /// - Parameter indent: the number of spaces of the line the value starts on; nested lines are
    ///   indented two more per level.
    public func pretty(_ value: Value, indent: Int = 0) -> String {
        var writer = JSONWriter()
        writer.appendPretty(value, indent: indent)
        return writer.text
    }
}
