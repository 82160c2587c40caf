using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IdVerify.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IdVerify.Api.Tests;

/// <summary>Uploads that stall half-way, on a real Kestrel on 127.0.0.1 with raw sockets, against a one-slot inference queue.</summary>
public sealed class SlowUploadApiTests
{
    private const string Enrolled = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private const string Probe = "face_recognition/tests/test_images/obama3.jpg";

    [Fact]
    public async Task Stalled_uploads_hold_no_inference_slot_so_a_verify_is_served_and_they_get_408()
    {
        using var factory = new ApiFactory();
        factory.Settings["Urls"] = "http://127.0.0.1:0";
        // One slot and no queue: an upload holding the slot would turn every other request away with 503.
        factory.Settings["Inference:MaxConcurrentRequests"] = "1";
        factory.Settings["Inference:MaxQueuedRequests"] = "0";
        factory.Settings["Limits:BodyReadTimeout"] = "00:00:06";
        factory.UseKestrel();
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Assert.Equal(IPAddress.Loopback.ToString(), address.Host);
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, factory.AllScopesKey);
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form("slow-1", Enrolled))).EnsureSuccessStatusCode();

        using var first = await StallAsync(address, factory.AllScopesKey, "/v1/verify");
        using var second = await StallAsync(address, factory.AllScopesKey, "/v1/enroll");
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        var verify = await client.PostAsync("/v1/verify", HttpHelpers.Form("slow-1", Probe));
        var served = clock.Elapsed;
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.True(served < TimeSpan.FromSeconds(5), $"the verify waited {served.TotalSeconds:F1} s");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        foreach (var stalled in new[] { first, second })
        {
            var answer = await ReadAnswerAsync(stalled);
            Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
            Assert.Contains("\"code\":\"request_timeout\"", answer, StringComparison.Ordinal);
            Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Sends the headers and 100 KB of a 1 MB multipart body, then nothing.</summary>
    private static async Task<TcpClient> StallAsync(Uri address, string key, string path)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var part = "--stall\r\nContent-Disposition: form-data; name=\"image\"; filename=\"selfie.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
        var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\n{ApiKeyHandler.HeaderName}: {key}\r\n" +
                   "Content-Type: multipart/form-data; boundary=stall\r\nContent-Length: 1000000\r\n\r\n" + part;
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(new byte[100_000 - part.Length]);
        await stream.FlushAsync();
        return tcp;
    }

    /// <summary>The response, read as soon as it is complete (the service closes the stalled connection a few seconds later).</summary>
    private static async Task<string> ReadAnswerAsync(TcpClient tcp)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stream = tcp.GetStream();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!Complete(received.ToString()))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return received.ToString();
    }

    private static bool Complete(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var length = System.Text.RegularExpressions.Regex.Match(response[..end], @"(?im)^Content-Length:\s*(\d+)");
        return length.Success
            ? Encoding.UTF8.GetByteCount(response[(end + 4)..]) >= int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : response.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
    }
}
