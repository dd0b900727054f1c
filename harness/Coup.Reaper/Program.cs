using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Coup.Reaper;

// The reaper outlives the harness that started it: the harness holds a connection to it for the
// whole run, and when that connection closes (the harness ended, or was SIGKILLed) the reaper waits
// the grace period and removes everything labelled with its run id. Testcontainers' Ryuk, built
// from Coup's own base image because Ryuk's cannot be pulled here.
ReaperSettings settings;
try
{
    settings = ReaperSettings.FromEnvironment(Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"coup-reaper: {e.Message}");
    return 3;
}

var clock = Stopwatch.StartNew();
var watchdog = new Watchdog(settings.Grace, settings.ConnectTimeout);
var changes = Channel.CreateUnbounded<bool>();
var listener = new TcpListener(IPAddress.Any, ReaperContract.Port);
listener.Start();
Log($"watching run {settings.RunId} on port {ReaperContract.Port}");
_ = AcceptAsync();

while (watchdog.SweepAt is not { } sweepAt || sweepAt > clock.Elapsed)
{
    using var wait = watchdog.SweepAt is { } due
        ? new CancellationTokenSource(TimeSpan.FromTicks(Math.Max(0, (due - clock.Elapsed).Ticks)))
        : new CancellationTokenSource();
    try
    {
        if (await changes.Reader.ReadAsync(wait.Token))
        {
            watchdog.Opened();
        }
        else
        {
            watchdog.Closed(clock.Elapsed);
        }
    }
    catch (OperationCanceledException)
    {
        // The sweep is due: the loop's condition ends the wait.
    }
}
listener.Stop();
Log("the harness is gone; removing its run");

using var engine = new DockerSocketEngine(ReaperContract.EngineSocket);
const int SweepAttempts = 5;
for (var attempt = 1; ; attempt++)
{
    try
    {
        var removed = await Sweeper.SweepAsync(engine, settings.RunId, CancellationToken.None);
        Log($"removed run {settings.RunId}: {removed.Containers} containers, {removed.Networks} networks");
        return 0;
    }
    catch (EngineException e) when (attempt < SweepAttempts)
    {
        Log($"sweep failed ({e.Message}); trying again");
        await Task.Delay(TimeSpan.FromSeconds(1));
    }
    catch (EngineException e)
    {
        Log($"sweep failed ({e.Message}); `coup clean` removes what is left");
        return 1;
    }
}

async Task AcceptAsync()
{
    while (true)
    {
        var client = await listener.AcceptTcpClientAsync();
        await changes.Writer.WriteAsync(true);
        _ = HoldAsync(client);
    }
}

// Keeps a connection until it closes. Keepalive notices a peer that vanished without closing
// (a remote harness whose machine or network went away) within about half a minute.
async Task HoldAsync(TcpClient client)
{
    try
    {
        var socket = client.Client;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 10);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(ReaperContract.Greeting(settings.RunId)));
        var buffer = new byte[64];
        while (await stream.ReadAsync(buffer) > 0)
        {
            // The harness sends nothing; anything it does send is ignored.
        }
    }
    catch (Exception e) when (e is IOException or SocketException)
    {
        // A reset is a close.
    }
    finally
    {
        client.Dispose();
        await changes.Writer.WriteAsync(false);
    }
}

static void Log(string message) => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} coup-reaper: {message}");
