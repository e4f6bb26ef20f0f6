/// The ids inserted last, up to `capacity` of them (older ones are forgotten, in insertion order).
struct RecentIDs {
    let capacity: Int
    private var members: Set<Int64> = []
    private var order: [Int64] = []
    private var oldest = 0

    init(capacity: Int) { self.capacity = capacity }

    func contains(_ id: Int64) -> Bool { members.contains(id) }

    mutating func insert(_ ids: [Int64]) {
        for id in ids where members.insert(id).inserted {
            order.append(id)
        }
        while members.count > capacity {
            members.remove(order[oldest])
            oldest += 1
        }
        // Drop the forgotten prefix now and then rather than shifting the array on every insert.
        if oldest > capacity {
            order.removeFirst(oldest)
            oldest = 0
        }
    }
}
