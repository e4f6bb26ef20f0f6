import Foundation
import MultipartKit

extension TelegramBotAPI {
    /// Telegram shows at most this many characters under a file.
    public static let captionLimit = 1024

    /// Uploads `contents` as a file named `fileName`, with `caption` under it, as multipart/form-data (a bot may
    /// send files of up to 50 MB). The name is written into a header as it is: give a plain one.
    public func sendDocument(
        chatID: Int64, fileName: String, contents: Data, contentType: String = "application/json",
        caption: String? = nil
    ) async throws(TelegramError) -> Message {
        let boundary = "selfology-\(UUID().uuidString)"
        var parts = [MultipartPart(headers: Self.formField("chat_id"), body: String(chatID))]
        if let caption { parts.append(MultipartPart(headers: Self.formField("caption"), body: caption)) }
        var fileHeaders = Self.formField("document", fileName: fileName)
        fileHeaders.add(name: "Content-Type", value: contentType)
        parts.append(MultipartPart(headers: fileHeaders, body: contents))
        var body = ByteBuffer()
        do {
            try MultipartSerializer().serialize(parts: parts, boundary: boundary, into: &body)
        } catch {
            throw .decoding("sendDocument: the request could not be encoded")
        }
        return try await call(
            "sendDocument", RequestBody(contentType: "multipart/form-data; boundary=\(boundary)", bytes: body))
    }

    private static func formField(_ name: String, fileName: String? = nil) -> HTTPHeaders {
        let file = fileName.map { #"; filename="\#($0)""# } ?? ""
        return HTTPHeaders([("Content-Disposition", #"form-data; name="\#(name)"\#(file)"#)])
    }
}
