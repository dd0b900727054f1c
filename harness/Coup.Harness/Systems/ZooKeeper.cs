using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.Nodes;

namespace Coup.Harness.Systems;

/// <summary>
/// ZooKeeper 3.8 from Debian's <c>zookeeper</c> package: ZAB. Each member is probed with the
/// <c>srvr</c> four-letter command (its mode, and the epoch as the high 32 bits of its last
/// zxid) and the admin server's <c>leader</c> command (whom it follows); writes set znodes
/// through the client protocol, and the zxid of the reply gives the epoch that committed them.
/// </summary>
public sealed class ZooKeeper : ClusterSystem
{
    public const int AdminPort = 8080;

    public override string Name => "zookeeper";
    public override string Description => "ZooKeeper 3.8 (Debian zookeeper, OpenJDK 17): ZAB";
    public override string Safety => "one leader per epoch (ZAB); writes need a quorum";
    public override string Dockerfile => "zookeeper.Dockerfile";
    public override int NodesMin => 3;

    /// <summary>
    /// libfaketime reaches the JVM: its wall clock, <c>nanoTime</c> and sleeps follow the spec
    /// (docs/systems.md); zookeeper.Dockerfile preloads it as node.Dockerfile does for Coup's nodes.
    /// </summary>
    public override string? ClockRefusal => null;

    /// <summary>
    /// The JVM's clock, read from its own log: nothing ZooKeeper answers carries its clock to the
    /// millisecond, but it logs "Processing ruok command from /ip:port" stamped (to the ms, UTC) with
    /// the time its logger read while it handled the command. The harness asks <c>ruok</c> on a fresh
    /// connection and finds the line naming its own port; the controller's time of that instant is
    /// the midpoint of the question. Works while the member serves no one (no session needed).
    /// </summary>
    public override async Task<ClockReading> ReadClockAsync(
        Member member, MemberLog log, CancellationToken cancellation)
    {
        // The engine filters logs by whole seconds.
        var sinceUtc = DateTime.UtcNow.AddSeconds(-2);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(2));
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(member.Address, ZooKeeperSession.ClientPort, deadline.Token);
        var local = (System.Net.IPEndPoint)tcp.Client.LocalEndPoint!;
        var sentMs = ClockReading.NowMs;
        await tcp.GetStream().WriteAsync("ruok"u8.ToArray(), deadline.Token);
        // The stamp is taken before the answer is written: the question ends at the answer's first
        // byte, not at the close that follows it (which lags on a loaded machine).
        var answer = new byte[4];
        if (await tcp.GetStream().ReadAsync(answer, deadline.Token) == 0)
        {
            throw new IOException($"{member.Node} closed the connection without answering ruok");
        }
        var controllerMs = (sentMs + ClockReading.NowMs) / 2;
        var needle = $"Processing ruok command from /{local.Address.MapToIPv4()}:{local.Port}";
        while (true)
        {
            // The line reaches the engine a moment after the answer.
            var line = (await log(sinceUtc, deadline.Token)).Split('\n')
                .FirstOrDefault(l => l.TrimEnd().EndsWith(needle, StringComparison.Ordinal));
            if (line is not null)
            {
                var stamp = DateTime.ParseExact(
                    line[..LogStampFormat.Length],
                    LogStampFormat,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                return new ClockReading(new DateTimeOffset(stamp).ToUnixTimeMilliseconds(), controllerMs);
            }
            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>
    /// slf4j-simple's stamp on every log line (the JVM runs in UTC); .NET's spelling of the same pattern.
    /// </summary>
    private const string LogStampFormat = "yyyy-MM-dd HH:mm:ss.fff";
    private const string JavaLogStampFormat = "yyyy-MM-dd HH:mm:ss.SSS";

    /// <summary>
    /// Comparable to Coup's ZAB (pings every 30 ms, a follower gives up after 150-300 ms): a 50 ms
    /// tick, so pings every 25 ms and a follower gives up after syncLimit ticks (200 ms).
    /// </summary>
    public override IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["tick-ms"] = "50",
        ["sync-limit"] = "4",
        ["init-limit"] = "20",
        ["connect-timeout-ms"] = "500",
    };

    public override IReadOnlyList<string> Command(Member self, IReadOnlyList<Member> members, SystemSettings settings)
    {
        var config = new[]
        {
            $"tickTime={settings.Int("tick-ms")}",
            $"initLimit={settings.Int("init-limit")}",
            $"syncLimit={settings.Int("sync-limit")}",
            // Unknown keys become system properties: how long an election connection attempt may hang.
            $"cnxTimeout={settings.Int("connect-timeout-ms")}",
            "dataDir=/data/zk",
            $"clientPort={ZooKeeperSession.ClientPort}",
            "4lw.commands.whitelist=srvr,mntr,ruok",
            "admin.enableServer=true",
            $"admin.serverPort={AdminPort}",
        }.Concat(members.Select(m => $"server.{m.Id}={m.Address}:2888:3888"));
        var script = $"mkdir -p /data/zk && echo {self.Id} > /data/zk/myid && printf '%s\\n' " +
            $"{string.Join(" ", config.Select(c => $"'{c}'"))} > /data/zoo.cfg && " +
            $"exec java -Xmx256m -XX:+UseSerialGC -cp {ClassPath}" +
            $" -Duser.timezone=UTC -Dorg.slf4j.simpleLogger.showDateTime=true " +
            $"'-Dorg.slf4j.simpleLogger.dateTimeFormat={JavaLogStampFormat}' " +
            "org.apache.zookeeper.server.quorum.QuorumPeerMain /data/zoo.cfg";
        return ["sh", "-c", script];
    }

    /// <summary>
    /// Debian's zookeeper.jar names none of its dependencies: a logger (slf4j-simple, to stderr, so
    /// the run store keeps the log) and, for the admin server the probe asks whom a member follows,
    /// Jetty, the servlet API and Jackson, all from Debian's own packages.
    /// </summary>
    private static readonly string ClassPath = string.Join(":", new[]
    {
        "zookeeper", "slf4j-simple", "servlet-api", "jetty9-server", "jetty9-servlet", "jetty9-util", "jetty9-http",
        "jetty9-io", "jetty9-security", "jackson-annotations", "jackson-core", "jackson-databind",
    }.Select(jar => $"/usr/share/java/{jar}.jar").Prepend("/etc/zookeeper/conf"));

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMilliseconds(500) };

    public override async Task<NodeStatus> ProbeAsync(
        Member member, SystemContext context, CancellationToken cancellation)
    {
        var srvr = await FourLetterAsync(member, "srvr", cancellation);
        var mode = Field(srvr, "Mode");
        if (mode is null)
        {
            // "This ZooKeeper instance is not currently serving requests": looking for a leader. srvr shows
            // no zxid then; the member keeps the epoch it last reported (ZAB persists it as currentEpoch).
            return new NodeStatus
            {
                Role = Role.Candidate,
                Term = _epochs.GetValueOrDefault(member.Node),
                Leader = null
            };
        }
        var epoch = Convert.ToInt64(Field(srvr, "Zxid") ?? "0", 16) >> 32;
        _epochs.AddOrUpdate(member.Node, epoch, (_, known) => Math.Max(known, epoch));
        var leader = await LeaderAsync(member, cancellation);
        return new NodeStatus
        {
            Role = mode == "leader" ? Role.Leader : Role.Follower,
            Term = epoch,
            Leader = leader,
        };
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _epochs = new();

    private static string? Field(string text, string name) =>
        text.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim() == name)
            .Select(p => p[1].Trim()).FirstOrDefault();

    private static async Task<int?> LeaderAsync(Member member, CancellationToken cancellation)
    {
        var json = JsonNode.Parse(
            await Http.GetStringAsync($"http://{member.Address}:{AdminPort}/commands/leader", cancellation));
        return json?["leader_id"]?.GetValue<long>() is { } id and > 0 ? (int)id : null;
    }

    private static async Task<string> FourLetterAsync(Member member, string command, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(500));
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(member.Address, ZooKeeperSession.ClientPort, deadline.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command), deadline.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(deadline.Token);
    }

    public override string ClientRouting =>
        $"over a session kept on one server; a new session {WriteRouting.FollowsObservedLeader}";

    public override ISystemClient Connect(SystemContext context, int process) => new Client(this, context, process);

    /// <summary>
    /// One session per client process, kept on one server until it breaks; then a new session on the server the write
    /// names.
    /// </summary>
    private sealed class Client(ZooKeeper zookeeper, SystemContext context, int process) : ISystemClient
    {
        private ZooKeeperSession? _session;
        private string? _server;

        public ValueTask<string?> ServerAsync(CancellationToken cancellation) =>
            ValueTask.FromResult(_session is null ? null : _server);

        /// <remarks>The session's server, as long as it lives; a write's <paramref name="node"/> names where a new one
        /// is opened.</remarks>
        public async ValueTask<SystemWrite> WriteAsync(string node, long value, CancellationToken cancellation)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(WriteContract.TimeoutMs);
            if (_session is null)
            {
                try
                {
                    _session = await ZooKeeperSession.ConnectAsync(
                        context[node].Address, sessionTimeoutMs: 2000, deadline.Token);
                    _server = node;
                }
                catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
                {
                    // No session, so nothing was sent.
                    return new SystemWrite(WriteOutcome.Fail($"no session with {node}: {e.Message}"), null);
                }
            }
            var server = _server!;
            int error;
            long zxid;
            try
            {
                (error, zxid) = await _session.WriteAsync(
                    $"/coup-{process}",
                    Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)),
                    deadline.Token);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                await DropAsync();
                return new SystemWrite(WriteOutcome.Info($"{server}: {e.Message}"), null);
            }
            if (error != ZooKeeperSession.Errors.Ok)
            {
                await DropAsync();
                return new SystemWrite(WriteOutcome.Fail($"{server}: ZooKeeper error {error}"), null);
            }
            var epoch = zxid >> 32;
            return new SystemWrite(
                WriteOutcome.Ok(epoch), await zookeeper.LeaderInTermAsync(context[server], context, epoch));
        }

        private async Task DropAsync()
        {
            if (_session is not null)
            {
                await _session.DisposeAsync();
            }
            _session = null;
        }

        public ValueTask DisposeAsync() => _session?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
