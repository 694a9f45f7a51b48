import CUDPBatch
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Serves one UDP socket on a thread of its own with `recvmmsg` and `sendmmsg`, up to
/// `batchSize` datagrams per call each way.
///
/// Why not SwiftNIO, which serves TCP: measured on this project's 2-core machines, NIO's
/// datagram path alone cost 1.46 times NSD's whole CPU per query before any DNS work
/// (BENCHMARKS.md). Here a query costs one slot of a batch read, the answer logic, and one slot
/// of a batch write; the buffers are allocated once per thread.
///
/// The thread blocks in `recvmmsg`; `stop()` wakes it with `shutdown(SHUT_RD)` (and a receive
/// timeout bounds the wait should a wake-up ever be missed).
final class DNSUDPWorker: @unchecked Sendable {
    // SAFETY: `thread` is written by `start` and read by `stop`, which the owner calls in that
    // order from one task; `stopping` is locked; the buffers belong to the worker thread.
    typealias Answer = (_ packet: [UInt8], _ peer: DNSUDPPeer, _ later: @escaping @Sendable ([UInt8]) -> Void) -> [UInt8]?

    /// Datagrams per system call.
    static let batchSize = 32
    /// Room for each datagram: larger queries are cut, and then answered FORMERR.
    static let slotSize = 4096

    let socket: DNSUDPSocket
    private let answer: Answer
    private let stopping = NIOLockedValueBox(false)
    private var thread: pthread_t?

    init(socket: DNSUDPSocket, answer: @escaping Answer) {
        self.socket = socket
        self.answer = answer
    }

    /// The address the socket is bound to.
    var localAddress: SocketAddress? { socket.localAddress }

    /// Starts the thread.
    func start() throws {
        let context = Unmanaged.passRetained(self).toOpaque()
        var created = pthread_t()
        let result = pthread_create(&created, nil, { context in
            let worker = Unmanaged<DNSUDPWorker>.fromOpaque(context!).takeRetainedValue()
            cudp_name_this_thread("dns-udp")
            worker.serve()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<DNSUDPWorker>.fromOpaque(context).release()
            throw IOError(errnoCode: result, reason: "pthread_create")
        }
        thread = created
    }

    /// Stops the thread, waits for it, and closes the socket.
    func stop() {
        stopping.withLockedValue { $0 = true }
        socket.shutdownReceiving()
        if let thread { pthread_join(thread, nil) }
        thread = nil
        socket.close()
    }

    private func serve() {
        let batch = Self.batchSize
        let slot = Self.slotSize
        let inbound = UnsafeMutableRawPointer.allocate(byteCount: batch * slot, alignment: 16)
        let outbound = UnsafeMutableRawPointer.allocate(byteCount: batch * slot, alignment: 16)
        let names = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: batch)
        let inVectors = UnsafeMutablePointer<iovec>.allocate(capacity: batch)
        let outVectors = UnsafeMutablePointer<iovec>.allocate(capacity: batch)
        let received = UnsafeMutablePointer<cudp_mmsghdr>.allocate(capacity: batch)
        let replies = UnsafeMutablePointer<cudp_mmsghdr>.allocate(capacity: batch)
        defer {
            inbound.deallocate()
            outbound.deallocate()
            names.deallocate()
            inVectors.deallocate()
            outVectors.deallocate()
            received.deallocate()
            replies.deallocate()
        }
        for index in 0..<batch {
            inVectors[index] = iovec(iov_base: inbound + index * slot, iov_len: slot)
        }
        let fd = socket.loopDescriptor
        let socket = self.socket

        while !stopping.withLockedValue({ $0 }) {
            for index in 0..<batch {
                received[index] = cudp_mmsghdr(
                    msg_hdr: msghdr(
                        msg_name: UnsafeMutableRawPointer(names + index),
                        msg_namelen: socklen_t(MemoryLayout<sockaddr_storage>.size), msg_iov: inVectors + index,
                        msg_iovlen: 1, msg_control: nil, msg_controllen: 0, msg_flags: 0),
                    msg_len: 0)
            }
            let count = Int(cudp_recvmmsg(fd, received, UInt32(batch), cudp_wait_for_one()))
            if count < 0 {
                switch errno {
                case EINTR, EAGAIN, EWOULDBLOCK, ENOMEM, ENOBUFS: continue
                default: return  // the socket is gone
                }
            }
            var replyCount = 0
            for index in 0..<count {
                let length = Int(received[index].msg_len)
                let packet = [UInt8](UnsafeRawBufferPointer(start: inbound + index * slot, count: length))
                let peer = DNSUDPPeer(storage: names[index], length: received[index].msg_hdr.msg_namelen)
                guard let reply = answer(packet, peer, { socket.send($0, to: peer) }), !reply.isEmpty else { continue }
                guard reply.count <= slot else {
                    socket.send(reply, to: peer)
                    continue
                }
                let start = outbound + replyCount * slot
                reply.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                outVectors[replyCount] = iovec(iov_base: start, iov_len: reply.count)
                replies[replyCount] = cudp_mmsghdr(
                    msg_hdr: msghdr(
                        msg_name: UnsafeMutableRawPointer(names + index), msg_namelen: peer.length,
                        msg_iov: outVectors + replyCount, msg_iovlen: 1, msg_control: nil, msg_controllen: 0,
                        msg_flags: 0),
                    msg_len: 0)
                replyCount += 1
            }
            var sent = 0
            while sent < replyCount {
                let result = Int(cudp_sendmmsg(fd, replies + sent, UInt32(replyCount - sent), 0))
                if result > 0 {
                    sent += result
                } else if errno != EINTR {
                    sent += 1  // that reply cannot leave (its client's address, say): the next may
                }
            }
        }
    }
}
