using IdVerify.Api.Endpoints;
using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Core.Templates;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Runs the request path around the pipeline once before readiness: the multipart form reader, the JSON contracts,
/// the store's subject query and the key lookup are compiled on first use, which made the first request after start
/// several times slower than the rest. The pipeline warms itself (see Core's PipelineWarmUp); the audit append is
/// warmed by the start's own record (see <see cref="FaceEngineStartup"/>).
/// </summary>
internal static class RequestPathWarmUp
{
    private static readonly Type[] Contracts =
    [
        typeof(EnrollJsonRequest), typeof(VerifyJsonRequest), typeof(ChallengeRequest), typeof(EnrollResponse), typeof(VerifyResponse),
        typeof(SubjectDto), typeof(ChallengeDto), typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), typeof(HttpValidationProblemDetails),
    ];

    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("warm-up"), "subjectId");
            form.Add(new ByteArrayContent(new byte[1024]), "image", "warm-up.jpg");
            var context = new DefaultHttpContext { RequestServices = services };
            context.Request.ContentType = form.Headers.ContentType!.ToString();
            context.Request.Body = await form.ReadAsStreamAsync(cancellationToken);
            await services.GetRequiredService<ImageRequestReader>().ReadAsync(context.Request, "image", many: true, cancellationToken);
        }

        // The reader's own JSON settings (base64 images decoded as they are read) compile on first use too.
        foreach (var many in (bool[])[true, false])
        {
            var context = new DefaultHttpContext { RequestServices = services };
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream("{\"subjectId\":\"warm-up\",\"images\":[\"AAAA\"],\"image\":\"AAAA\"}"u8.ToArray());
            await services.GetRequiredService<ImageRequestReader>().ReadAsync(context.Request, "image", many, cancellationToken);
        }

        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        foreach (var contract in Contracts)
        {
            json.GetTypeInfo(contract);
        }

        await services.GetRequiredService<ITemplateStore>().GetSubjectAsync("warm-up", cancellationToken);

        // The key check's lookup (a key that does not exist: nothing is cached or touched).
        await services.GetRequiredService<ApiKeyCache>().FindAsync("idv_warm-up", cancellationToken);

        // Opening a sealed template (the first AES-GCM use loads the platform's crypto library), and the attempt count's
        // read and reset (a subject that does not exist: the reset deletes nothing).
        var keys = services.GetRequiredService<DataKeyRing>();
        var sealedBlob = keys.Seal(keys.ActiveId, "warm-up", "warm-up", new byte[512]);
        keys.Open(keys.ActiveId, "warm-up", "warm-up", sealedBlob, new byte[512]);
        var attempts = services.GetRequiredService<ISubjectAttemptStore>();
        await attempts.GetAsync("warm-up", cancellationToken);
        await attempts.RecordAsync("warm-up", verified: true, DateTimeOffset.UtcNow, new AttemptLimits(1, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)),
            cancellationToken);
    }
}
