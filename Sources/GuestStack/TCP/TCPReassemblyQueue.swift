/// Segments that arrived ahead of the next expected sequence number, kept until the gap fills.
/// Bounded in count and bytes; duplicates and overlaps are fine, the in-order side trims what it has.
struct TCPReassemblyQueue {
    struct Piece {
        var sequence: SequenceNumber
        var bytes: [UInt8]
        var fin: Bool
    }

    static let capacity = 32
    var pieces: [Piece] = []
    var bytesHeld = 0

    var isEmpty: Bool { pieces.isEmpty }

    /// Keeps a piece unless one with the same start is already held or the queue would exceed
    /// `byteLimit` (the receive window) or its piece count.
    mutating func insert(_ piece: Piece, byteLimit: Int) {
        guard pieces.count < Self.capacity, bytesHeld + piece.bytes.count <= byteLimit else { return }
        for existing in pieces where existing.sequence == piece.sequence && existing.bytes.count >= piece.bytes.count {
            return
        }
        pieces.append(piece)
        bytesHeld += piece.bytes.count
    }

    /// Removes and returns a piece that starts at or before `next` and reaches beyond it (or
    /// carries a FIN right at it), trimmed to start at `next`. Stale pieces are discarded.
    mutating func takeContinuing(from next: SequenceNumber) -> Piece? {
        var index = 0
        while index < pieces.count {
            let piece = pieces[index]
            let end = piece.sequence + UInt32(piece.bytes.count)
            if piece.sequence <= next {
                pieces.remove(at: index)
                bytesHeld -= piece.bytes.count
                if end > next {
                    let skip = Int(next - piece.sequence)
                    return Piece(sequence: next, bytes: Array(piece.bytes[skip...]), fin: piece.fin)
                }
                if end == next && piece.fin { return Piece(sequence: next, bytes: [], fin: true) }
                continue
            }
            index += 1
        }
        return nil
    }
}
