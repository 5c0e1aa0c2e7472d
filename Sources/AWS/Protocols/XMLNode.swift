import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML element read from (or written to) an AWS answer: name, attributes, child elements
/// and text. Small on purpose: the query and REST-XML protocols need only lookup by name.
public struct XMLNode: Sendable, Equatable {
    /// The element's local name, e.g. `Arn` (namespace prefixes are dropped).
    public var name: String
    /// The attributes, e.g. `xmlns`.
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [XMLNode]
    /// The element's own character data (whitespace around child elements trimmed away).
    public var text: String

    /// Creates an element.
    public init(_ name: String, attributes: [String: String] = [:], text: String = "", children: [XMLNode] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// The first child element named `name`, or nil.
    public subscript(name: String) -> XMLNode? {
        children.first { $0.name == name }
    }

    /// All child elements named `name`, in order.
    /// - Parameter name: e.g. `member`.
    /// - Returns: the matching children, possibly none.
    public func all(_ name: String) -> [XMLNode] {
        children.filter { $0.name == name }
    }

    /// Follows a `/`-separated path of child names, e.g. `"Owner/DisplayName"`.
    /// - Parameter path: child names separated by `/`.
    /// - Returns: the element at the end of the path, or nil when a step is missing.
    public func path(_ path: String) -> XMLNode? {
        var node: XMLNode? = self
        for step in path.split(separator: "/") {
            node = node?[String(step)]
        }
        return node
    }

    /// The text of the child at `path`, or nil when there is no such element.
    public func string(_ path: String) -> String? {
        self.path(path)?.text
    }

    /// The members of a list wrapped in an element at `path`: `<Roles><member>…` gives the
    /// `member` elements (any child name counts, since S3 and CloudFront name them per type).
    public func list(_ path: String) -> [XMLNode] {
        self.path(path)?.children ?? []
    }

    /// Parses an XML document and returns its root element.
    /// - Parameter data: the document bytes.
    /// - Returns: the root element.
    /// - Throws: `AWSClientError(.invalidResponse)` when the bytes are not well-formed XML.
    public static func parse(_ data: Data) throws -> XMLNode {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { String(describing: $0) } ?? "no root element"
            throw AWSClientError(.invalidResponse, "answer is not valid XML: \(reason)")
        }
        return root
    }
}

// MARK: - Writing

extension XMLNode {
    /// The element as XML text, with `&`, `<`, `>`, `"`, `'` and control characters escaped
    /// (S3 keys may hold any of them).
    public var xmlString: String {
        var out = "<\(name)"
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            out += " \(key)=\"\(Self.escape(value))\""
        }
        if children.isEmpty && text.isEmpty { return out + "/>" }
        out += ">" + Self.escape(text)
        for child in children { out += child.xmlString }
        return out + "</\(name)>"
    }

    /// The element as a UTF-8 document with an XML declaration, ready to send as a body.
    public var document: Data {
        Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xmlString).utf8)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\r", "\t":
                // Kept as character references so an XML parser does not normalise them away.
                out += "&#\(scalar.value);"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Builds the tree while `XMLParser` walks the document. Used on one thread only.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [XMLNode] = []
    private(set) var root: XMLNode?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(XMLNode(elementName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard var node = stack.popLast() else { return }
        if !node.children.isEmpty {
            // Whitespace between child elements is layout, not content.
            node.text = node.text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}
