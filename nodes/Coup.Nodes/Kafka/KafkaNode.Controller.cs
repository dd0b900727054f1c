namespace Coup.Nodes.Kafka;

public sealed partial class KafkaNode
{
    /// <summary>The controller's state for one Raft term it leads; gone when it stops leading.</summary>
    private Tenure? _tenure;

    private sealed class Tenure(long term)
    {
        public long Term { get; } = term;
        public int AgeTicks { get; set; }
        public long Appointments { get; set; }
        public PartitionAssignment?[] Assigned { get; } = new PartitionAssignment?[PartitionCount];
        /// <summary>
        /// Per broker, ticks since its last heartbeat in this tenure; a broker never heard is absent.
        /// </summary>
        public Dictionary<int, int> TicksSinceHeard { get; } = [];
        public Dictionary<int, IReadOnlyList<PartitionReport>> Reports { get; } = [];
    }

    /// <summary>
    /// How long the controller waits before it takes a silent broker for dead: longer than the
    /// broker's session plus the time a deposed controller may still answer it (check-quorum
    /// steps it down within an election timeout), so the broker has fenced itself first.
    /// </summary>
    private int ControllerSessionTicks => SessionTicks + _config.ElectionTicksMax + 2 * _config.HeartbeatTicks;

    private void HandleBrokerHeartbeat(BrokerHeartbeat heartbeat)
    {
        if (_tenure is not { } tenure || heartbeat.ControllerTerm != tenure.Term)
        {
            return;
        }
        tenure.TicksSinceHeard[heartbeat.From] = 0;
        tenure.Reports[heartbeat.From] = heartbeat.Partitions;
        var answer = new Assignment
        {
            From = Id,
            To = heartbeat.From,
            ControllerTerm = tenure.Term,
            AnswersSentAtTick = heartbeat.SentAtTick,
            Partitions = [.. tenure.Assigned.OfType<PartitionAssignment>()],
        };
        if (heartbeat.From == Id)
        {
            HandleAssignment(answer);
        }
        else
        {
            Send(answer);
        }
    }

    /// <summary>
    /// Appoints a leader, with a new epoch, to every partition whose leader died, fenced itself, or is not yet known.
    /// </summary>
    private void TickController()
    {
        var tenure = _tenure!;
        tenure.AgeTicks++;
        foreach (var broker in tenure.TicksSinceHeard.Keys.ToList())
        {
            tenure.TicksSinceHeard[broker]++;
        }
        var appointed = false;
        for (var p = 0; p < PartitionCount; p++)
        {
            if (tenure.Assigned[p] is { } current && Alive(tenure, current.Leader) && !Fenced(tenure, current))
            {
                continue;
            }
            if (Choose(tenure, p) is { } leader)
            {
                tenure.Appointments++;
                tenure.Assigned[p] = new PartitionAssignment(
                    p, leader, tenure.Term * EpochsPerTerm + tenure.Appointments);
                appointed = true;
            }
        }
        if (appointed)
        {
            var partitions = tenure.Assigned.OfType<PartitionAssignment>().ToList();
            foreach (var peer in _config.Peers)
            {
                Send(new Assignment { From = Id, To = peer, ControllerTerm = tenure.Term, Partitions = partitions });
            }
            HandleAssignment(new Assignment
            {
                From = Id,
                To = Id,
                ControllerTerm = tenure.Term,
                Partitions = partitions,
            });
        }
    }

    /// <summary>
    /// A new controller first keeps the leader a live broker says it has (the newest epoch wins);
    /// a partition without one waits a controller session, as its old leader may still hold its
    /// lease; then the first live broker in the partition's preferred order leads.
    /// </summary>
    private int? Choose(Tenure tenure, int partition)
    {
        if (tenure.Assigned[partition] is null)
        {
            var standing = tenure.Reports
                .Where(r => Alive(tenure, r.Key))
                .SelectMany(r => r.Value
                    .Where(p => p.Partition == partition && p.Leading)
                    .Select(p => (Broker: r.Key, p.Epoch)))
                .OrderByDescending(s => s.Epoch)
                .Select(s => (int?)s.Broker)
                .FirstOrDefault();
            if (standing is not null || tenure.AgeTicks < ControllerSessionTicks)
            {
                return standing;
            }
        }
        var members = _config.Members;
        return Enumerable.Range(0, members.Count)
            .Select(i => members[(partition + i) % members.Count])
            .Where(broker => Alive(tenure, broker))
            .Select(broker => (int?)broker)
            .FirstOrDefault();
    }

    private bool Alive(Tenure tenure, int broker) =>
        tenure.TicksSinceHeard.TryGetValue(broker, out var ticks) && ticks < ControllerSessionTicks;

    /// <summary>The appointee reports the epoch it was given but no longer leads in it: it fenced itself.</summary>
    private static bool Fenced(Tenure tenure, PartitionAssignment assigned) =>
        tenure.Reports.TryGetValue(assigned.Leader, out var reports)
        && reports.Any(r => r.Partition == assigned.Partition && r.Epoch >= assigned.Epoch && !r.Leading);
}
