import NIOCore

/// A batch of commands written in one go, answered by as many replies in the same order.
struct RedisRequest: Sendable {
    let commands: [[String]]
    let replies: EventLoopPromise<[RESPValue]>
    let deadline: NIODeadline
}

/// Matches replies to requests on one connection. Redis answers in order, so the oldest request takes the next
/// replies. This handler is the only place that completes a request's promise once it has received the request.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        let request: RedisRequest
        var replies: [RESPValue]
        let timeout: Scheduled<Void>
    }

    private var pending = CircularBuffer<Pending>()
    private var isClosed = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = Self.unwrapOutboundIn(data)
        guard !self.isClosed else {
            request.replies.fail(RedisError.connectionClosed)
            promise?.fail(RedisError.connectionClosed)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 64 * request.commands.count)
        for command in request.commands {
            RESPEncoder.encode(command, into: &buffer)
        }
        // Once a reply is late the replies on this connection no longer match their requests, so a timeout
        // closes the connection instead of waiting for the reply to turn up.
        let timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: request.deadline) {
            self.failAll(with: .timeout)
            context.close(promise: nil)
        }
        self.pending.append(Pending(request: request, replies: [], timeout: timeout))
        context.write(Self.wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = Self.unwrapInboundIn(data)
        guard var head = self.pending.popFirst() else {
            // RESP2 without pub/sub never speaks unasked: a reply nobody waits for means we are out of step.
            context.fireErrorCaught(RedisError.protocolViolation("reply without a request"))
            return
        }
        head.replies.append(reply)
        if head.replies.count == head.request.commands.count {
            head.timeout.cancel()
            head.request.replies.succeed(head.replies)
        } else {
            self.pending.prepend(head)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.failAll(with: error as? RedisError ?? .connectionClosed)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isClosed = true
        self.failAll(with: .connectionClosed)
        context.fireChannelInactive()
    }

    private func failAll(with error: RedisError) {
        while let next = self.pending.popFirst() {
            next.timeout.cancel()
            next.request.replies.fail(error)
        }
    }
}
