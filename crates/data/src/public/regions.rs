//! Each local authority's region: which of England's nine regions ([`super::REGIONS`]) a council
//! of the panel belongs to, for `dsg national`'s regional totals.
//!
//! [`LA_REGIONS`] was derived once from the EHC plan releases: the `region_code` of every
//! `geographic_level` "Local authority" row of the 2025 release's `data/caseload.csv`, by
//! `new_la_code`, and of the 2022 release's `data/sen2_age_caseload.csv` for the authorities that
//! ended before 2019 (Bournemouth, Poole and Dorset county). No authority is given two regions
//! in either file. It covers every local authority of the shipped panel, under the codes the
//! panel uses (current ONS codes; authorities ended by a boundary change keep their own), and is
//! checked against the raw files by `crates/data/tests/regions.rs` when they are present. dsg
//! never reads the raw files when it runs.

/// Local authority ONS code, region ONS code (the authority's name in a comment), by code.
///
/// ```
/// use dsg_data::public::LA_REGIONS;
/// assert!(LA_REGIONS.contains(&("E10000003", "E12000006"))); // Cambridgeshire, East of England
/// ```
pub const LA_REGIONS: &[(&str, &str)] = &[
    ("E06000001", "E12000001"), // Hartlepool
    ("E06000002", "E12000001"), // Middlesbrough
    ("E06000003", "E12000001"), // Redcar and Cleveland
    ("E06000004", "E12000001"), // Stockton-on-Tees
    ("E06000005", "E12000001"), // Darlington
    ("E06000006", "E12000002"), // Halton
    ("E06000007", "E12000002"), // Warrington
    ("E06000008", "E12000002"), // Blackburn with Darwen
    ("E06000009", "E12000002"), // Blackpool
    ("E06000010", "E12000003"), // Kingston upon Hull, City of
    ("E06000011", "E12000003"), // East Riding of Yorkshire
    ("E06000012", "E12000003"), // North East Lincolnshire
    ("E06000013", "E12000003"), // North Lincolnshire
    ("E06000014", "E12000003"), // York
    ("E06000015", "E12000004"), // Derby
    ("E06000016", "E12000004"), // Leicester
    ("E06000017", "E12000004"), // Rutland
    ("E06000018", "E12000004"), // Nottingham
    ("E06000019", "E12000005"), // Herefordshire, County of
    ("E06000020", "E12000005"), // Telford and Wrekin
    ("E06000021", "E12000005"), // Stoke-on-Trent
    ("E06000022", "E12000009"), // Bath and North East Somerset
    ("E06000023", "E12000009"), // Bristol, City of
    ("E06000024", "E12000009"), // North Somerset
    ("E06000025", "E12000009"), // South Gloucestershire
    ("E06000026", "E12000009"), // Plymouth
    ("E06000027", "E12000009"), // Torbay
    ("E06000028", "E12000009"), // Bournemouth
    ("E06000029", "E12000009"), // Poole
    ("E06000030", "E12000009"), // Swindon
    ("E06000031", "E12000006"), // Peterborough
    ("E06000032", "E12000006"), // Luton
    ("E06000033", "E12000006"), // Southend-on-Sea
    ("E06000034", "E12000006"), // Thurrock
    ("E06000035", "E12000008"), // Medway
    ("E06000036", "E12000008"), // Bracknell Forest
    ("E06000037", "E12000008"), // West Berkshire
    ("E06000038", "E12000008"), // Reading
    ("E06000039", "E12000008"), // Slough
    ("E06000040", "E12000008"), // Windsor and Maidenhead
    ("E06000041", "E12000008"), // Wokingham
    ("E06000042", "E12000008"), // Milton Keynes
    ("E06000043", "E12000008"), // Brighton and Hove
    ("E06000044", "E12000008"), // Portsmouth
    ("E06000045", "E12000008"), // Southampton
    ("E06000046", "E12000008"), // Isle of Wight
    ("E06000047", "E12000001"), // County Durham
    ("E06000049", "E12000002"), // Cheshire East
    ("E06000050", "E12000002"), // Cheshire West and Chester
    ("E06000051", "E12000005"), // Shropshire
    ("E06000052", "E12000009"), // Cornwall
    ("E06000053", "E12000009"), // Isles of Scilly
    ("E06000054", "E12000009"), // Wiltshire
    ("E06000055", "E12000006"), // Bedford
    ("E06000056", "E12000006"), // Central Bedfordshire
    ("E06000057", "E12000001"), // Northumberland
    ("E06000058", "E12000009"), // Bournemouth, Christchurch and Poole
    ("E06000059", "E12000009"), // Dorset
    ("E06000060", "E12000008"), // Buckinghamshire
    ("E06000061", "E12000004"), // North Northamptonshire
    ("E06000062", "E12000004"), // West Northamptonshire
    ("E06000063", "E12000002"), // Cumberland
    ("E06000064", "E12000002"), // Westmorland and Furness
    ("E08000001", "E12000002"), // Bolton
    ("E08000002", "E12000002"), // Bury
    ("E08000003", "E12000002"), // Manchester
    ("E08000004", "E12000002"), // Oldham
    ("E08000005", "E12000002"), // Rochdale
    ("E08000006", "E12000002"), // Salford
    ("E08000007", "E12000002"), // Stockport
    ("E08000008", "E12000002"), // Tameside
    ("E08000009", "E12000002"), // Trafford
    ("E08000010", "E12000002"), // Wigan
    ("E08000011", "E12000002"), // Knowsley
    ("E08000012", "E12000002"), // Liverpool
    ("E08000013", "E12000002"), // St. Helens
    ("E08000014", "E12000002"), // Sefton
    ("E08000015", "E12000002"), // Wirral
    ("E08000016", "E12000003"), // Barnsley
    ("E08000017", "E12000003"), // Doncaster
    ("E08000018", "E12000003"), // Rotherham
    ("E08000019", "E12000003"), // Sheffield
    ("E08000021", "E12000001"), // Newcastle upon Tyne
    ("E08000022", "E12000001"), // North Tyneside
    ("E08000023", "E12000001"), // South Tyneside
    ("E08000024", "E12000001"), // Sunderland
    ("E08000025", "E12000005"), // Birmingham
    ("E08000026", "E12000005"), // Coventry
    ("E08000027", "E12000005"), // Dudley
    ("E08000028", "E12000005"), // Sandwell
    ("E08000029", "E12000005"), // Solihull
    ("E08000030", "E12000005"), // Walsall
    ("E08000031", "E12000005"), // Wolverhampton
    ("E08000032", "E12000003"), // Bradford
    ("E08000033", "E12000003"), // Calderdale
    ("E08000034", "E12000003"), // Kirklees
    ("E08000035", "E12000003"), // Leeds
    ("E08000036", "E12000003"), // Wakefield
    ("E08000037", "E12000001"), // Gateshead
    ("E09000001", "E12000007"), // City of London
    ("E09000002", "E12000007"), // Barking and Dagenham
    ("E09000003", "E12000007"), // Barnet
    ("E09000004", "E12000007"), // Bexley
    ("E09000005", "E12000007"), // Brent
    ("E09000006", "E12000007"), // Bromley
    ("E09000007", "E12000007"), // Camden
    ("E09000008", "E12000007"), // Croydon
    ("E09000009", "E12000007"), // Ealing
    ("E09000010", "E12000007"), // Enfield
    ("E09000011", "E12000007"), // Greenwich
    ("E09000012", "E12000007"), // Hackney
    ("E09000013", "E12000007"), // Hammersmith and Fulham
    ("E09000014", "E12000007"), // Haringey
    ("E09000015", "E12000007"), // Harrow
    ("E09000016", "E12000007"), // Havering
    ("E09000017", "E12000007"), // Hillingdon
    ("E09000018", "E12000007"), // Hounslow
    ("E09000019", "E12000007"), // Islington
    ("E09000020", "E12000007"), // Kensington and Chelsea
    ("E09000021", "E12000007"), // Kingston upon Thames
    ("E09000022", "E12000007"), // Lambeth
    ("E09000023", "E12000007"), // Lewisham
    ("E09000024", "E12000007"), // Merton
    ("E09000025", "E12000007"), // Newham
    ("E09000026", "E12000007"), // Redbridge
    ("E09000027", "E12000007"), // Richmond upon Thames
    ("E09000028", "E12000007"), // Southwark
    ("E09000029", "E12000007"), // Sutton
    ("E09000030", "E12000007"), // Tower Hamlets
    ("E09000031", "E12000007"), // Waltham Forest
    ("E09000032", "E12000007"), // Wandsworth
    ("E09000033", "E12000007"), // Westminster
    ("E10000003", "E12000006"), // Cambridgeshire
    ("E10000006", "E12000002"), // Cumbria
    ("E10000007", "E12000004"), // Derbyshire
    ("E10000008", "E12000009"), // Devon
    ("E10000009", "E12000009"), // Dorset
    ("E10000011", "E12000008"), // East Sussex
    ("E10000012", "E12000006"), // Essex
    ("E10000013", "E12000009"), // Gloucestershire
    ("E10000014", "E12000008"), // Hampshire
    ("E10000015", "E12000006"), // Hertfordshire
    ("E10000016", "E12000008"), // Kent
    ("E10000017", "E12000002"), // Lancashire
    ("E10000018", "E12000004"), // Leicestershire
    ("E10000019", "E12000004"), // Lincolnshire
    ("E10000020", "E12000006"), // Norfolk
    ("E10000021", "E12000004"), // Northamptonshire
    ("E10000023", "E12000003"), // North Yorkshire
    ("E10000024", "E12000004"), // Nottinghamshire
    ("E10000025", "E12000008"), // Oxfordshire
    ("E10000027", "E12000009"), // Somerset
    ("E10000028", "E12000005"), // Staffordshire
    ("E10000029", "E12000006"), // Suffolk
    ("E10000030", "E12000008"), // Surrey
    ("E10000031", "E12000005"), // Warwickshire
    ("E10000032", "E12000008"), // West Sussex
    ("E10000034", "E12000005"), // Worcestershire
];

/// The region (ONS code and name) of the local authority with ONS code `la` (as the panel
/// gives it), if known.
///
/// ```
/// use dsg_data::public::region_of_la;
/// assert_eq!(region_of_la("E10000003"), Some(("E12000006", "East of England")));
/// assert_eq!(region_of_la("E09000001"), Some(("E12000007", "London")));
/// assert_eq!(region_of_la("E92000001"), None); // England is not a local authority
/// ```
pub fn region_of_la(la: &str) -> Option<(&'static str, &'static str)> {
    let la = la.trim();
    let (_, region) = LA_REGIONS.iter().find(|(code, _)| *code == la)?;
    super::REGIONS
        .iter()
        .find(|(code, _)| code == region)
        .copied()
}
