using Coup.Faults;
using Coup.Nodes;

namespace Coup.Simulation;

/// <summary>
/// What the container host is for one node, in the simulator: the algorithm object, its persisted
/// state, whether its process is up or frozen, and its own clock (offset and rate).
/// </summary>
internal sealed class SimulatedNode(string name, int id, int tickMs)
{
    public string Name { get; } = name;
    public int Id { get; } = id;
    public IElectionNode? Algorithm { get; set; }
    public HardState Persisted { get; set; } = HardState.Empty;
    /// <summary>Bumped on every restart so that timers of a dead incarnation do nothing.</summary>
    public int Incarnation { get; set; }
    public bool IsUp => Algorithm is not null;
    public bool IsPaused { get; set; }
    /// <summary>Messages that reached a frozen process wait in its socket buffers (with their causal depth).</summary>
    public Queue<(Message Message, int Depth)> Buffered { get; } = new();
    /// <summary>
    /// The longest chain of message hops that led to this node's current state since the last reset.
    /// </summary>
    public int CausalDepth { get; set; }
    public TickClock Ticks { get; set; } = null!;
    public Dictionary<long, SimulatedCluster.PendingWrite> PendingWrites { get; } = [];

    private double _clockBaseLocalMs;
    private long _clockBaseNs;
    private double _rate = 1;

    /// <summary>The node's own clock reading at virtual time <paramref name="nowNs"/>.</summary>
    public double LocalMs(long nowNs) => _clockBaseLocalMs + (nowNs - _clockBaseNs) / 1e6 * _rate;

    /// <summary>
    /// The virtual time between two ticks on this node's clock: asked at every tick, so worked out when the rate
    /// changes (a clock fault) rather than each time.
    /// </summary>
    public long TickDelayNs { get; private set; } = TickDelayNsAt(tickMs, rate: 1);

    private static long TickDelayNsAt(int tickMs, double rate) => (long)(tickMs * 1e6 / Math.Max(rate, 0.01));

    public void ChangeClock(long nowNs, ClockChange change)
    {
        _clockBaseLocalMs = LocalMs(nowNs) + change.OffsetS * 1000;
        _clockBaseNs = nowNs;
        _rate = change.Rate;
        TickDelayNs = TickDelayNsAt(tickMs, _rate);
    }

    /// <summary>Back to true time: the clock steps to the virtual clock and runs at rate 1.</summary>
    public void ResetClock(long nowNs)
    {
        _clockBaseLocalMs = nowNs / 1e6;
        _clockBaseNs = nowNs;
        _rate = 1;
        TickDelayNs = TickDelayNsAt(tickMs, _rate);
    }
}
