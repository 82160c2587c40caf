using System.Text.Json;
using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Hosting;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdVerify.Api.Endpoints;

public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/models").WithTags("Models").RequireAuthorization(ApiKeyScopes.Admin).ProducesAccessProblems()
            .MapGet("", GetModels)
            .WithName("GetModels")
            .WithSummary("The active bundle (per role: id, family, sha256, licence; the execution provider really used; warm-up time) and every manifest model.");

        var admin = routes.MapGroup("/v1/admin/models").WithTags("Admin").RequireAuthorization(ApiKeyScopes.Admin).ProducesAccessProblems().WithAuditTrail();
        admin.MapPut("/{role}", Swap)
            .Audited(AuditActions.ModelSwap)
            .WithName("SwapModel")
            .WithSummary("Activate another manifest model for a role (detector, embedder, liveness) without dropping a request.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("", Register)
            .Audited(AuditActions.ModelRegister)
            .WithName("RegisterModel")
            .WithMetadata(new FormFields([
                new FormField("model", "The ONNX file.", File: true),
                new FormField("description", "JSON: id, role, family, input, output, licence, as a manifest entry."),
                new FormField("probe", "A photo with one face, to check the model runs and answers sensibly.", File: true),
            ]))
            .WithSummary("Register an ONNX file: multipart 'model' (the file), 'description' (JSON: id, role, family, input, output, licence, ...) and 'probe' (a photo with a face to test it on).")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    private static Ok<ModelsResponse> GetModels(FaceEngine engine, ModelCatalog catalog)
    {
        using var lease = engine.Acquire();
        var manifest = catalog.LoadManifest();
        var models = manifest.Models.Select(m =>
        {
            var path = catalog.Store.PathOf(m);
            return new ManifestModelDto(m.Id, m.Role, m.Family, m.File, m.Bytes, m.Sha256, m.Licence,
                File.Exists(path) && new FileInfo(path).Length == m.Bytes, m.Calibration is { Count: > 0 });
        }).ToList();
        return TypedResults.Ok(new ModelsResponse(ActiveBundleDto.From(lease.Services), models));
    }

    private static async Task<Ok<SwapResponse>> Swap(string role, SwapRequest request, FaceEngine engine, FaceServicesFactory factory,
        CancellationToken cancellationToken)
    {
        var catalog = factory.Catalog;
        var ids = request.Ids ?? (request.Id is { Length: > 0 } id ? [id] : []);
        if (ids.Count == 0 || (role != ModelRoles.Liveness && ids.Count != 1))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "Send {\"id\": \"...\"} (liveness also takes {\"ids\": [...]}).");
        }

        if (role is not (ModelRoles.Detector or ModelRoles.Embedder or ModelRoles.Liveness))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"Role must be detector, embedder or liveness, not '{role}'.");
        }

        var manifest = catalog.LoadManifest();
        foreach (var modelId in ids)
        {
            if (!manifest.Models.Any(m => m.Id == modelId && m.Role == role))
            {
                throw new IdVerifyException(ErrorCodes.ModelNotFound, $"No {role} '{modelId}' in the manifest or the registered models.");
            }
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var previous = "";
        var (_, active) = await engine.SwapAsync(async (current, ct) =>
        {
            var bundle = current.Pipeline.Bundle;
            previous = role switch
            {
                ModelRoles.Detector => bundle.DetectorId,
                ModelRoles.Embedder => bundle.EmbedderId,
                _ => string.Join(",", bundle.LivenessIds),
            };
            var next = role switch
            {
                ModelRoles.Detector => bundle with { DetectorId = ids[0] },
                ModelRoles.Liveness => bundle with { LivenessIds = ids },
                _ => bundle with
                {
                    EmbedderId = ids[0],
                    LegacyEmbedderIds = factory.KeepLegacyEmbedders
                        ? [.. (bundle.LegacyEmbedderIds ?? []).Append(bundle.EmbedderId).Where(e => e != ids[0]).Distinct()]
                        : [],
                },
            };
            try
            {
                return await factory.BuildAsync(manifest, next, ct);
            }
            catch (Exception ex) when (ex is IdVerifyException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
            {
                throw new IdVerifyException(ErrorCodes.ModelRejected, $"Swap to '{string.Join(",", ids)}' refused; '{previous}' keeps serving: {ex.Message}", ex);
            }
        }, cancellationToken);
        catalog.SaveActive(active.Pipeline.Bundle);
        return TypedResults.Ok(new SwapResponse(ActiveBundleDto.From(active), previous, Math.Round(clock.Elapsed.TotalMilliseconds, 1)));
    }

    private static async Task<Created<RegisteredModelDto>> Register(HttpRequest request, FaceEngine engine, ModelCatalog catalog,
        CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "Send multipart/form-data with 'model', 'description' and 'probe'.");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var model = form.Files.GetFile("model") ?? throw new IdVerifyException(ErrorCodes.InvalidRequest, "The 'model' file is missing.");
        var probe = form.Files.GetFile("probe") ?? throw new IdVerifyException(ErrorCodes.ImageMissing, "The 'probe' photo is missing.");
        var description = JsonSerializer.Deserialize<ModelEntry>(form["description"].FirstOrDefault() ?? "null", ModelManifest.JsonOptions)
            ?? throw new IdVerifyException(ErrorCodes.InvalidRequest, "The 'description' JSON is missing.");
        AuditEntry.For(request.HttpContext).Detail("modelId", description.Id).Detail("role", description.Role);

        using var lease = engine.Acquire();
        var entry = ModelRegistration.Register(catalog.LoadManifest(), description, await ReadAsync(model, cancellationToken),
            await ReadAsync(probe, cancellationToken), lease.Services.Pipeline, catalog.LocalManifestPath, catalog.CustomDirectory);
        return TypedResults.Created($"/v1/models#{entry.Id}", RegisteredModelDto.From(entry));
    }

    private static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
