using System.Net;
using Coup.Reaper;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Coup.Harness.Docker;

/// <summary>The sweep's few engine calls (<see cref="IContainerEngine"/>) over the harness's Docker client.</summary>
public sealed class ClientEngine(DockerClient docker) : IContainerEngine
{
    public async Task<IReadOnlyList<Labelled>> ContainersAsync(string label, CancellationToken cancellation)
    {
        var listed = await Engine(() => docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = Filter(label) }, cancellation));
        return [.. listed.Select(c => new Labelled(c.ID, Labels(c.Labels)))];
    }

    public async Task<IReadOnlyList<Labelled>> NetworksAsync(string label, CancellationToken cancellation)
    {
        var listed = await Engine(() => docker.Networks.ListNetworksAsync(
            new NetworksListParameters { Filters = Filter(label) }, cancellation));
        return [.. listed.Select(n => new Labelled(n.ID, Labels(n.Labels)))];
    }

    public async Task RemoveContainerAsync(string id, CancellationToken cancellation)
    {
        try
        {
            await Engine(() => Cleanup.RemoveContainerAsync(docker, id));
        }
        catch (EngineException e) when (e.InnerException is DockerApiException { StatusCode: HttpStatusCode.Conflict })
        {
            // The engine is already removing it (a reaper with auto-remove that exited).
        }
    }

    public Task RemoveNetworkAsync(string id, CancellationToken cancellation) =>
        Engine(() => Cleanup.RemoveNetworkAsync(docker, id));

    private static Dictionary<string, IDictionary<string, bool>> Filter(string label) =>
        new() { ["label"] = new Dictionary<string, bool> { [label] = true } };

    private static IReadOnlyDictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels);

    private static async Task Engine(Func<Task> call) => await Engine(async () =>
    {
        await call();
        return true;
    });

    private static async Task<T> Engine<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (DockerApiException e)
        {
            throw new EngineException($"the engine refused: {e.Message}", e);
        }
    }
}
