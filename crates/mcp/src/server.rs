//! The MCP side: one tool per question, each a thin wrapper over [`crate::answers`]. A tool
//! that cannot answer returns a tool error (`isError`, with the reason and close ids), which the
//! assistant sees and can act on; protocol errors are left to the SDK.

use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ErrorData, ServerHandler, ServiceExt};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::answers::{self, Reply};
use crate::{Error, Site};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchArgs {
    /// Words to look for: names, ids, columns, tags or description text.
    pub query: String,
    /// Keep one kind of result: product, contract, team, domain, person (or term).
    pub kind: Option<String>,
    /// Most results to return (default 10, at most 50).
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct IdArgs {
    /// The entity's id as the site lists it (its name works too).
    pub id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContractArgs {
    /// The contract's id.
    pub id: String,
    /// A version of the contract (default: the current one).
    pub version: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct LineageArgs {
    /// A product id (a contract id gives its product's lineage; a system id such as
    /// `system:webshop-backend` works too).
    pub id: String,
    /// `up` (what feeds it), `down` (what it feeds) or `both` (default).
    pub direction: Option<String>,
    /// How many hops to follow (default 1, at most 10).
    pub hops: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct BreachArgs {
    /// Only products of this domain (id).
    pub domain: Option<String>,
    /// Only products owned by this team (id).
    pub team: Option<String>,
    /// Also list products whose measurements stopped arriving (default false).
    pub include_stale: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct AccessArgs {
    /// The product's id.
    pub product: String,
    /// One output port (id or name); default: every output port of the product.
    pub port: Option<String>,
}

/// The server: the opened site and the tools over it.
#[derive(Clone)]
pub struct Server {
    site: Arc<Site>,
    tool_router: ToolRouter<Server>,
}

/// An answer as MCP content: the short text, the JSON as text for clients that read only
/// text, and the same JSON as structured content.
fn result(reply: Reply) -> Result<CallToolResult, ErrorData> {
    Ok(match reply {
        Ok(answer) => {
            let mut r = CallToolResult::structured(answer.data);
            r.content.insert(0, ContentBlock::text(answer.text));
            r
        }
        Err(e) => {
            let mut r = CallToolResult::structured_error(e.data);
            r.content = vec![ContentBlock::text(e.message)];
            r
        }
    })
}

#[tool_router]
impl Server {
    pub fn new(site: Site) -> Server {
        Server {
            site: Arc::new(site),
            tool_router: Self::tool_router(),
        }
    }

    #[tool(
        description = "Search the catalog with the site's own ranking (exact names and ids first). \
                       Returns products, contracts, teams, domains and people with their page URLs."
    )]
    async fn search(
        &self,
        Parameters(a): Parameters<SearchArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::search(
            &self.site,
            &a.query,
            a.kind.as_deref(),
            a.limit,
        ))
    }

    #[tool(
        description = "A data product in full: description, output ports and their contracts, \
                       owner, support, lineage neighbours, service-level objectives, page URL."
    )]
    async fn get_product(
        &self,
        Parameters(a): Parameters<IdArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::get_product(&self.site, &a.id))
    }

    #[tool(
        description = "A data contract: schema, quality rules, SLAs, servers, roles and terms; \
                       optionally an earlier version."
    )]
    async fn get_contract(
        &self,
        Parameters(a): Parameters<ContractArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::get_contract(
            &self.site,
            &a.id,
            a.version.as_deref(),
        ))
    }

    #[tool(
        description = "A team: description, members with names and emails, links, the products it owns."
    )]
    async fn get_team(
        &self,
        Parameters(a): Parameters<IdArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::get_team(&self.site, &a.id))
    }

    #[tool(
        description = "A business term from the site's glossary: definition, owner, where it is used."
    )]
    async fn get_term(
        &self,
        Parameters(a): Parameters<IdArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::get_term(&self.site, &a.id))
    }

    #[tool(
        description = "Lineage of a product: what feeds it (up), what it feeds (down) or both, \
                       N hops out (at most 10), with the edges between them."
    )]
    async fn lineage(
        &self,
        Parameters(a): Parameters<LineageArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::lineage(
            &self.site,
            &a.id,
            a.direction.as_deref(),
            a.hops,
        ))
    }

    #[tool(
        description = "Who owns a product, contract or domain and whom to ask: the owning team, \
                       its members, the named people and roles, and the support channels."
    )]
    async fn who_owns(
        &self,
        Parameters(a): Parameters<IdArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::who_owns(&self.site, &a.id))
    }

    #[tool(
        description = "Products whose service-level objectives or quality rules fail on their \
                       newest measurements (optionally also stale ones), by domain or team."
    )]
    async fn breaching_objectives(
        &self,
        Parameters(a): Parameters<BreachArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::breaching_objectives(
            &self.site,
            a.domain.as_deref(),
            a.team.as_deref(),
            a.include_stale.unwrap_or(false),
        ))
    }

    #[tool(
        description = "How to get access to a product's output port: the access-request link \
                       when the site has one, the contract's roles and approvers, terms of use, \
                       price, current consumers and support."
    )]
    async fn how_to_get_access(
        &self,
        Parameters(a): Parameters<AccessArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        result(answers::how_to_get_access(
            &self.site,
            &a.product,
            a.port.as_deref(),
        ))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("meshdoc", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!(
                "The data catalog at {}: search it, read products, contracts, teams and terms, \
                 follow lineage, find owners, objectives that fail and how to get access. Every \
                 answer carries the page URL; cite it.",
                self.site.describe()
            ))
    }
}

/// Serve over stdin/stdout until the client disconnects.
pub async fn run(site: Site) -> Result<(), Error> {
    let service = Server::new(site)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| Error::Transport(e.to_string()))?;
    service
        .waiting()
        .await
        .map_err(|e| Error::Transport(e.to_string()))?;
    Ok(())
}
