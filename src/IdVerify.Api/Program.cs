using IdVerify.Api.Endpoints;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Hosting;
using Microsoft.Extensions.Logging.Console;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// The bundle a swap or `idverify models use` activated, below environment variables and the command line.
builder.Configuration.AddActiveBundle(builder.Configuration);

builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.AddCodeToFrameworkProblems);
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.AddOpenApi(o => o.AddOperationTransformer<ProblemExamplesTransformer>());
builder.Services.AddFaceEngine(builder.Configuration);
builder.Services.AddIdVerifyHealth();
builder.Services.AddIdVerifyMetrics();
// Type=notify and journald-friendly logs under systemd (edge/idverify.service); nothing elsewhere.
builder.Services.AddSystemd();
// AddSystemd picks the journald console format; an operator's Logging:Console:FormatterName (json) still wins.
builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));
builder.Services.AddApiAccess();
builder.Services.AddAuditTrail();
builder.Services.AddImageRequests(builder.WebHost, builder.Configuration);
builder.Services.AddKiosk(builder.Environment);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
// Before the key check: the page is public, every API call it makes carries the operator's key.
app.UseKiosk();
app.UseApiAccess();
app.MapOpenApi().AllowAnonymous();
if (app.Environment.IsDevelopment())
{
    // A page that reads /openapi/v1.json; it holds no data, and calls from it carry the key typed into it.
    app.MapScalarApiReference().AllowAnonymous();
}

app.MapHealth();
app.MapMetrics();
app.MapVerification();
app.MapSubjects();
app.MapLiveness();
app.MapModels();
app.MapAudit();
app.MapKeys();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
