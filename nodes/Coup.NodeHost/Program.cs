using System.Net.Sockets;
using System.Text.Json;
using Coup.NodeHost;
using Coup.Nodes;
using Coup.Nodes.Packets;

NodeOptions options;
try
{
    options = NodeOptions.FromEnvironment(Reset.Settings(Environment.GetEnvironmentVariable));
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"coup-node: {e.Message}; set the COUP_* variables (see nodes/README.md)");
    return 3;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls($"http://0.0.0.0:{Wire.ControlPort}");
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
// A failed start is reported once, as a one-line error below, not as a logged stack trace.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
var app = builder.Build();
var logger = app.Logger;

Reset.WipeIfAsked(options.DataDirectory);
var hardState = new HardStateFile(options.DataDirectory);
var incarnation = Incarnation.Next(options.DataDirectory);
var seed = Seeds.Node(options.RunSeed, options.Cluster.Self, incarnation);
var node = Algorithms.Create(options.Algorithm, options.Cluster, hardState.Load(), seed);
var links = options.PeerAddresses.ToDictionary(p => p.Key, p => new PeerLink(
    p.Key, p.Value, new Random(Seeds.Packets(options.RunSeed, options.Cluster.Self, p.Key, incarnation)), logger));
var loop = new NodeLoop(
    node, hardState, links.ToDictionary(l => l.Key, IPeerLink (l) => l.Value), options.Cluster, logger);

app.MapGet("/status", () => Results.Json(
    loop.Current with
    {
        NodeWallMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        MessagesSent = loop.MessagesSent,
    },
    Wire.Types.StatusReport));
// Begins a counting epoch: messages and hops since it, to measure an election (bench/).
app.MapPost("/causality", async (long epoch) =>
{
    await loop.StartCausalEpochAsync(epoch);
    return Results.Ok();
});
app.MapGet("/events", async (HttpContext context) =>
{
    context.Response.ContentType = "application/x-ndjson";
    await foreach (var status in loop.Subscribe(context.RequestAborted).ReadAllAsync(context.RequestAborted))
    {
        var line = JsonSerializer.Serialize(status, Wire.Types.StatusReport) + "\n";
        await context.Response.WriteAsync(line, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
});
app.MapPost("/write", async (long id) =>
{
    var reply = loop.WriteAsync(id);
    var answered = await Task.WhenAny(reply, Task.Delay(WriteContract.TimeoutMs));
    return answered != reply
        ? Results.Json(new WriteReply { Error = "timed out" }, Wire.Types.WriteReply, statusCode: 504)
        : reply.Result.Term is not null ? Results.Json(reply.Result, Wire.Types.WriteReply)
        : Results.Json(reply.Result, Wire.Types.WriteReply, statusCode: 409);
});

// Shapes the outbound peer links (docs/packets.md): the rules given, in place of any in force.
app.MapPost("/packets", async (HttpContext context) =>
{
    PacketRules? rules;
    try
    {
        rules = await JsonSerializer.DeserializeAsync(context.Request.Body, Wire.Types.PacketRules);
    }
    catch (JsonException e)
    {
        return Results.BadRequest($"the body is not packet rules: {e.Message}");
    }
    if (rules is null)
    {
        return Results.BadRequest("the body is empty; send packet rules");
    }
    if (rules.Problem(links.Keys) is { } problem)
    {
        return Results.BadRequest(problem);
    }
    foreach (var link in links.Values)
    {
        link.Shape = rules.Rules.FirstOrDefault(r => r.Peer == link.Peer)?.Shape ?? PacketShape.None;
    }
    logger.LogInformation(
        "packets shaped: {Rules}", string.Join("; ", rules.Rules.Select(r => $"n{r.Peer} {r.Shape}")));
    return Results.Ok();
});
app.MapDelete("/packets", () =>
{
    foreach (var link in links.Values)
    {
        link.Shape = PacketShape.None;
    }
    return Results.Ok();
});

// The next run's settings, in place of the node host: answered only when refused (400); when taken, the
// process re-executes itself and the request's connection is closed unanswered (Reset).
app.MapPost("/reset", async (HttpContext context) =>
{
    var settings = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
    try
    {
        NodeOptions.FromEnvironment(Reset.Lookup(settings));
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        return Results.BadRequest($"the settings are not a node's: {e.Message}");
    }
    return Results.Problem(Reset.ExecuteAgain(settings));
});

PeerListener.WarmUp();
var stopping = app.Lifetime.ApplicationStopping;
foreach (var link in links.Values)
{
    link.Start();
}
Task? algorithm = null;
try
{
    var listener = new PeerListener(loop, options.Cluster.Self, logger);
    var peers = listener.RunAsync(stopping);
    await app.StartAsync(stopping);
    algorithm = loop.RunAsync(stopping);
    // Whichever ends first ends the node: a loop that failed must not leave a process that still
    // answers /status with what it said before.
    await await Task.WhenAny(peers, algorithm, Task.Delay(Timeout.Infinite, stopping));
    await Task.WhenAll(peers, algorithm).WaitAsync(stopping);
}
catch (IOException e) when (algorithm is { IsFaulted: true })
{
    // The loop stops at a failed hard state write, before anything that depended on it was sent.
    Console.Error.WriteLine($"coup-node: cannot write its hard state in {options.DataDirectory}: {e.Message}");
    return 5;
}
catch (Exception e) when (e is SocketException or IOException)
{
    Console.Error.WriteLine(
        $"coup-node: cannot listen on port {Wire.PeerPort} or {Wire.ControlPort}: {e.Message}; "
        + "is another node using it?");
    return 4;
}
catch (OperationCanceledException)
{
    // docker stop or Ctrl-C: fall through to close the links.
}
foreach (var link in links.Values)
{
    await link.DisposeAsync();
}
return 0;
