/// Follows a list operation's pages: the one home for paging, used by every list call.
///
/// AWS's list operations return a page and a token for the next one (`NextToken`, `Marker`,
/// `NextContinuationToken`, …; a null or empty token ends the listing). A service call passes
/// how to fetch a page from a token, how to read its items and its next token.
public enum Paginator {
    /// Every item of every page.
    /// - Parameters:
    ///   - fetch: requests the page after `token` (nil for the first).
    ///   - items: the page's items.
    ///   - next: the page's next token; nil or empty when it is the last page.
    /// - Throws: `fetch`'s error; `AWSClientError(.invalidResponse)` when a service hands back the
    ///   token it was given (which would loop forever).
    public static func collect<Page, Item>(_ fetch: (_ token: String?) async throws -> Page, items: (Page) -> [Item],
                                           next: (Page) -> String?) async throws -> [Item] {
        var all: [Item] = []
        try await forEachPage(fetch, next: next) { all += items($0) }
        return all
    }

    /// The first item of any page that satisfies `predicate`; later pages are not fetched.
    public static func first<Page, Item>(_ fetch: (_ token: String?) async throws -> Page, items: (Page) -> [Item],
                                         next: (Page) -> String?, where predicate: (Item) -> Bool) async throws -> Item? {
        var token: String?
        repeat {
            let page = try await fetch(token)
            if let found = items(page).first(where: predicate) { return found }
            token = try nextToken(next(page), after: token)
        } while token != nil
        return nil
    }

    /// Calls `body` with each page in turn.
    public static func forEachPage<Page>(_ fetch: (_ token: String?) async throws -> Page, next: (Page) -> String?,
                                         _ body: (Page) throws -> Void) async throws {
        var token: String?
        repeat {
            let page = try await fetch(token)
            try body(page)
            token = try nextToken(next(page), after: token)
        } while token != nil
    }

    private static func nextToken(_ candidate: String?, after previous: String?) throws -> String? {
        guard let candidate, !candidate.isEmpty else { return nil }
        guard candidate != previous else {
            throw AWSClientError(.invalidResponse, "the service returned the same page token twice (\(candidate)); stopped listing")
        }
        return candidate
    }
}
