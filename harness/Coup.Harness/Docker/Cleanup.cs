using Docker.DotNet;
using Docker.DotNet.Models;

namespace Coup.Harness.Docker;

/// <summary>
/// Removes what runs created, by their labels; <c>coup clean</c> uses it for runs a killed harness left.
/// </summary>
public static class Cleanup
{
    public static async Task RemoveContainerAsync(DockerClient docker, string id)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(
                id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }
        catch (Exception e) when (e is DockerContainerNotFoundException
            or DockerApiException { StatusCode: System.Net.HttpStatusCode.NotFound })
        {
            // Already gone: nothing to remove.
        }
    }

    public static async Task RemoveNetworkAsync(DockerClient docker, string id)
    {
        try
        {
            await docker.Networks.DeleteNetworkAsync(id);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Already gone: nothing to remove.
        }
    }

    /// <summary>Removes every container and network labelled as a Coup run; returns how many.</summary>
    public static async Task<(int Containers, int Networks)> RemoveAllAsync(
        DockerClient docker, CancellationToken cancellation)
    {
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [DockerCluster.RunLabel] = true }
        };
        var containers = await docker.Containers.ListContainersAsync(
            new ContainersListParameters { All = true, Filters = filter }, cancellation);
        foreach (var container in containers)
        {
            await RemoveContainerAsync(docker, container.ID);
        }
        var networks = await docker.Networks.ListNetworksAsync(
            new NetworksListParameters { Filters = filter }, cancellation);
        foreach (var network in networks)
        {
            await RemoveNetworkAsync(docker, network.ID);
        }
        return (containers.Count, networks.Count);
    }
}
