using System.Globalization;
using Coup.Nodes.Raft;

namespace Coup.Nodes.Kafka;

/// <summary>
/// Kafka's partition leadership as KRaft runs it, without logs: every node is a broker and a
/// controller voter. The voters elect a controller with Raft (pre-vote and check-quorum, as KRaft
/// does); the controller appoints a leader for each partition from the brokers that heartbeat it,
/// with a leader epoch of controllerTerm * 1,000,000 + its appointment count, so no two leaders
/// ever get the same epoch of one partition (one controller per term). A broker that has not heard
/// from the controller for a session timeout fences itself (stops leading); the controller waits
/// longer than that before it appoints a successor. A partition leader acknowledges a write once a
/// majority of replicas answered a replication round sent after it; a replica that knows a newer
/// epoch refuses. Groups: "controller" (term = Raft term) and "p0".."p2" (term = leader epoch).
/// </summary>
public sealed partial class KafkaNode : IElectionNode
{
    public const int PartitionCount = 3;
    public const string ControllerGroup = "controller";
    /// <summary>
    /// Leader epochs of one controller term lie in [term * EpochsPerTerm, (term + 1) * EpochsPerTerm).
    /// </summary>
    public const long EpochsPerTerm = 1_000_000;

    /// <summary>How the terms of the groups are formed, for the report.</summary>
    public static readonly string TermsFormed =
        $"group {ControllerGroup}: the controller's Raft term. Groups {GroupOf(0)}..{GroupOf(PartitionCount - 1)}: "
        + "the partition's leader epoch, controller term x "
        + $"{EpochsPerTerm.ToString("N0", CultureInfo.InvariantCulture)} + the controller's appointment count "
        + "in that term, so epoch 2,000,002 is the second leader that the controller of term 2 appointed; "
        + "epochs of different partitions and terms never collide";

    private readonly ClusterConfig _config;
    private readonly RaftNode _raft;
    private readonly Partition[] _partitions;
    private Ready _ready = new();
    /// <summary>Raft's part of the hard state as Raft last persisted it; the leader epochs are added to it.</summary>
    private HardState _raftState;
    /// <summary>The broken variant: never fences itself, and acknowledges writes alone (acks=1).</summary>
    private readonly bool _unfenced;
    /// <summary>Ticks since this incarnation started: the clock of the broker's session.</summary>
    private long _ticks;
    /// <summary>
    /// When the newest heartbeat a controller answered was sent (in <see cref="_ticks"/>): the broker's
    /// session runs from there, not from the answer's arrival, because the controller judges the broker
    /// live from the heartbeat's arrival, which came between the two.
    /// </summary>
    private long _sessionSince;
    private int _heartbeatElapsedTicks;

    public KafkaNode(ClusterConfig config, HardState state, Random random, bool unfenced = false)
    {
        _config = config;
        _unfenced = unfenced;
        _raftState = new HardState { Term = state.Term, VotedFor = state.VotedFor };
        _raft = new RaftNode(config, _raftState, random, new RaftOptions { PreVote = true, CheckQuorum = true });
        _partitions = [.. Enumerable.Range(0, PartitionCount)
            .Select(p => new Partition(p, state.Values?.GetValueOrDefault(GroupOf(p)) ?? 0, config.Quorum))];
    }

    public static int PartitionOf(long writeId) => (int)(writeId % PartitionCount);

    public static string GroupOf(int partition) => $"p{partition}";

    public int Id => _config.Self;

    /// <summary>The controller election's status: the node's first group.</summary>
    public NodeStatus Status => _raft.Status with { Group = ControllerGroup };

    public IReadOnlyList<NodeStatus> Statuses => [Status, .. _partitions.Select(StatusOf)];

    /// <summary>
    /// A broker that heard nothing from the controller for this long stops leading (Kafka's broker session timeout).
    /// </summary>
    private int SessionTicks => 2 * _config.ElectionTicksMax;

    public void Tick()
    {
        _raft.Tick();
        TakeRaftReady();
        TickBroker();
        if (_tenure is not null)
        {
            TickController();
        }
    }

    public void Step(Message message)
    {
        switch (message)
        {
            case BrokerHeartbeat heartbeat:
                HandleBrokerHeartbeat(heartbeat);
                break;
            case Assignment assignment:
                HandleAssignment(assignment);
                break;
            case Replicate replicate:
                HandleReplicate(replicate);
                break;
            case ReplicateResponse response:
                HandleReplicateResponse(response);
                break;
            default:
                _raft.Step(message);
                TakeRaftReady();
                break;
        }
    }

    public void ProposeWrite(long writeId)
    {
        var partition = _partitions[PartitionOf(writeId)];
        if (partition.Leader != Id)
        {
            _ready.Reject(writeId);
            return;
        }
        if (_unfenced)
        {
            _ready.Acknowledge(writeId, StatusOf(partition));
            return;
        }
        SendRound(partition);
        _ready.Acknowledge(partition.Writes.Hold(writeId), StatusOf(partition));
    }

    public Ready TakeReady() => Ready.Take(ref _ready);

    /// <summary>
    /// Carries out what the embedded Raft node wants, and starts or ends a controller tenure with its leadership.
    /// </summary>
    private void TakeRaftReady()
    {
        var ready = _raft.TakeReady();
        _ready.Send(ready.Messages);
        if (ready.Persist is { } state)
        {
            _raftState = state;
            Persist();
        }
        foreach (var status in ready.StatusChanges)
        {
            _ready.Announce(status with { Group = ControllerGroup });
        }
        if (_raft.Status.Role == Role.Leader && _tenure is null)
        {
            _tenure = new Tenure(_raft.Status.Term);
        }
        else if (_raft.Status.Role != Role.Leader)
        {
            _tenure = null;
        }
    }

    private void TickBroker()
    {
        _ticks++;
        if (_ticks - _sessionSince >= SessionTicks && !_unfenced)
        {
            foreach (var partition in _partitions.Where(p => p.Leader == Id))
            {
                // Fenced: the controller may already be appointing a successor.
                Follow(partition, partition.Epoch, leader: null);
            }
        }
        if (++_heartbeatElapsedTicks < _config.HeartbeatTicks)
        {
            return;
        }
        _heartbeatElapsedTicks = 0;
        HeartbeatController();
        foreach (var partition in _partitions.Where(p => p.Leader == Id))
        {
            SendRound(partition);
        }
    }

    /// <summary>Tells the controller Raft names that this broker lives; the controller itself hears itself.</summary>
    private void HeartbeatController()
    {
        if (_raft.Status.Leader is not { } controller)
        {
            return;
        }
        var heartbeat = new BrokerHeartbeat
        {
            From = Id,
            To = controller,
            ControllerTerm = _raft.Status.Term,
            SentAtTick = _ticks,
            Partitions = Reports(),
        };
        if (controller == Id)
        {
            HandleBrokerHeartbeat(heartbeat);
        }
        else
        {
            Send(heartbeat);
        }
    }

    private List<PartitionReport> Reports() =>
        [.. _partitions.Select(p => new PartitionReport(p.Index, p.Epoch, p.Leader == Id))];

    /// <summary>
    /// Word from a controller at least as new as the Raft term this broker knows: every newer leader
    /// epoch is taken, and an answer to a heartbeat renews the session from when that heartbeat left
    /// (one of an earlier incarnation, sent at a tick this one has not reached, renews nothing). A
    /// deposed controller's word is ignored.
    /// </summary>
    private void HandleAssignment(Assignment assignment)
    {
        if (assignment.ControllerTerm < _raft.Status.Term)
        {
            return;
        }
        if (assignment.AnswersSentAtTick is { } sentAt && sentAt <= _ticks)
        {
            _sessionSince = Math.Max(_sessionSince, sentAt);
        }
        foreach (var appointed in assignment.Partitions)
        {
            var partition = _partitions[appointed.Partition];
            if (appointed.Epoch > partition.Epoch)
            {
                Follow(partition, appointed.Epoch, appointed.Leader);
            }
        }
    }

    private void Send(Message message) => _ready.Send(message);

    private void Persist() => _ready.Persist = _raftState with
    {
        Values = _partitions.ToDictionary(p => GroupOf(p.Index), p => p.Epoch),
    };
}
