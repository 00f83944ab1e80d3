"""Contract fragments written for the key-terms tests (our own drafting, none taken from the sample
or from any eval corpus), each with the values a careful reader takes from it.

They vary what real contracts vary: how the preamble dates the contract ("made and entered into as
of", "dated", "this 14th day of March, 2019", a date only in the signature block), where the
effective date is defined, how the term and its renewal are worded (words and digits, "for an
initial period of", "commencing on ... and ending on", "from year to year"), how the governing law is
named, how the parties are introduced ("BETWEEN: (1) ... (2) ...", d/b/a, single quotes), and the
text's shape (PDF hard wraps, non-breaking spaces, ALL CAPS headings, OCR double spaces).

Expected keys (a key left out is not checked; None means the field must stay unknown):
  agreement, effective, expiration: ISO date ("" = a date with no calendar form, e.g. a blank)
  initial, renewal: (value, unit)
  notice: days of the notice that stops an automatic renewal
  law: the jurisdiction as written ("State of New York")
  parties: [(name, defined term or None)], in order
"""

from __future__ import annotations

NBSP = "\u00a0"

FRAGMENTS: dict[str, tuple[str, dict]] = {
    # -- preambles and dates ---------------------------------------------------------------------
    "made_and_entered_into_as_of": (
        "MASTER SERVICES AGREEMENT\n\nThis Master Services Agreement (this \"Agreement\") is made and entered into as of "
        "July 1, 2015 (the \"Effective Date\"), by and between Corvid Analytics, Inc., a Delaware corporation "
        "(\"Corvid\"), and Halloway Contact Solutions LLC, a Texas limited liability company (\"Provider\").\n\n"
        "1. Term. The initial term of this Agreement shall be three (3) years from the Effective Date.\n\n"
        "14. Governing Law. This Agreement shall be governed by the laws of the State of New York.\n",
        {"agreement": "2015-07-01", "effective": "2015-07-01", "initial": (3.0, "year"), "expiration": "2018-07-01",
         "law": "State of New York",
         "parties": [("Corvid Analytics, Inc.", "Corvid"), ("Halloway Contact Solutions LLC", "Provider")]},
    ),
    "day_of_month_year": (
        "CONSULTING AGREEMENT\n\nTHIS CONSULTING AGREEMENT is made this 14th day of March, 2019, by and between "
        "Brantley Medical Devices, Inc., a Minnesota corporation (the \"Company\"), and Orla Pennick, an individual "
        "residing in St. Paul, Minnesota (the \"Consultant\").\n\n2. Term. This Agreement shall commence on the date "
        "hereof and continue for a period of twelve (12) months.\n",
        {"agreement": "2019-03-14", "effective": "2019-03-14", "initial": (12.0, "month"), "expiration": "2020-03-14",
         "parties": [("Brantley Medical Devices, Inc.", "Company"), ("Orla Pennick", "Consultant")], "law": None},
    ),
    "dated_uk_style": (
        "THIS AGREEMENT is dated 3 March 2021\n\nPARTIES\n\n(1) NORTHWIND FREIGHT LIMITED incorporated and registered in "
        "England and Wales with company number 04412398 whose registered office is at 12 Dock Road, Hull HU1 2AB "
        "(\"Customer\").\n\n(2) BLUEWATER SUPPORT SERVICES LTD incorporated and registered in England and Wales with "
        "company number 09918231 whose registered office is at 4 Mill Lane, Leeds LS1 4DY (\"Supplier\").\n\n"
        "AGREED TERMS\n\n1. COMMENCEMENT AND DURATION\n\n1.1 This agreement shall commence on the date of this "
        "agreement and shall continue for an initial period of two (2) years.\n\n22. GOVERNING LAW\n\n22.1 This "
        "agreement and any dispute or claim arising out of it shall be governed by and construed in accordance with "
        "the law of England and Wales.\n",
        {"agreement": "2021-03-03", "effective": "2021-03-03", "initial": (2.0, "year"), "expiration": "2023-03-03",
         "law": "England and Wales",
         "parties": [("NORTHWIND FREIGHT LIMITED", "Customer"), ("BLUEWATER SUPPORT SERVICES LTD", "Supplier")]},
    ),
    "between_numbered_parties": (
        "SERVICES AGREEMENT\n\nDated: 10 June 2019\n\nBETWEEN:\n\n(1) ASHCOMBE RETAIL GROUP PLC, a company incorporated in "
        "England (registered number 02277311) (the \"Client\"); and\n\n(2) TALLIS OUTSOURCING LIMITED, a company "
        "incorporated in Scotland (registered number SC410022) (the \"Contractor\").\n\nWHEREAS the Client wishes to "
        "outsource its customer contact services.\n\n30. This Agreement shall be governed by the laws of Scotland.\n",
        {"agreement": "2019-06-10", "effective": "2019-06-10", "law": "Scotland",
         "parties": [("ASHCOMBE RETAIL GROUP PLC", "Client"), ("TALLIS OUTSOURCING LIMITED", "Contractor")]},
    ),
    "signature_block_dates_only": (
        "SOFTWARE SUPPORT AGREEMENT\n\nThis Software Support Agreement is between Fennimore Labs Inc. (\"Fennimore\") "
        "and Quarry Point Bank (\"Bank\").\n\n1. Support. Fennimore shall provide support for the licensed software.\n\n"
        "2. Term. This Agreement shall remain in effect for one (1) year from the date of the last signature below.\n\n"
        "FENNIMORE LABS INC.                    QUARRY POINT BANK\n\nBy: /s/ Maya Brandt                     By: /s/ Ted "
        "Olin\nName: Maya Brandt                       Name: Ted Olin\nTitle: CEO                              Title: CFO\n"
        "Date: April 2, 2014                    Date: April 9, 2014\n",
        {"agreement": "2014-04-09", "effective": "2014-04-09", "initial": (1.0, "year"), "expiration": "2015-04-09",
         "parties": [("Fennimore Labs Inc.", "Fennimore"), ("Quarry Point Bank", "Bank")]},
    ),
    "effective_date_defined_later": (
        "This Distribution Agreement (the \"Agreement\") is dated March 15, 2010 between Orwell Instruments Corp., a "
        "California corporation (\"Supplier\"), and Kessock Trading Pte. Ltd., a Singapore company (\"Distributor\").\n\n"
        "1. DEFINITIONS\n\n1.1 \"Products\" means the instruments listed in Exhibit A.\n\n1.2 \"Effective Date\" means "
        "April 1, 2010.\n\n2. TERM\n\n2.1 This Agreement shall begin on the Effective Date and continue for five (5) "
        "years.\n\n19. This Agreement shall be governed by the laws of the State of California.\n",
        {"agreement": "2010-03-15", "effective": "2010-04-01", "initial": (5.0, "year"), "expiration": "2015-04-01",
         "law": "State of California",
         "parties": [("Orwell Instruments Corp.", "Supplier"), ("Kessock Trading Pte. Ltd.", "Distributor")]},
    ),
    "commencing_and_ending_on": (
        "AGREEMENT made as of December 1, 2015 between Lattice Foods Inc. (\"Lattice\") and Parrish Logistics, L.P. "
        "(\"Parrish\").\n\n3. Term. The term of this Agreement shall be for a period commencing on January 1, 2016 and "
        "ending on December 31, 2018, unless sooner terminated as provided herein.\n",
        {"agreement": "2015-12-01", "expiration": "2018-12-31", "renewal": None, "notice": None,
         "parties": [("Lattice Foods Inc.", "Lattice"), ("Parrish Logistics, L.P.", "Parrish")]},
    ),
    "numeric_date_dated": (
        "LICENSE AGREEMENT\n\nThis License Agreement is dated 03/15/2017 and is entered into between Selwyn Games, Inc. "
        "(\"Licensor\") and Dorrit Interactive LLC (\"Licensee\").\n\n12. Term. This Agreement shall continue for a "
        "term of thirty-six (36) months from the date hereof.\n",
        {"agreement": "2017-03-15", "effective": "2017-03-15", "initial": (36.0, "month"), "expiration": "2020-03-15",
         "parties": [("Selwyn Games, Inc.", "Licensor"), ("Dorrit Interactive LLC", "Licensee")]},
    ),
    "the_fifth_day_of_may": (
        "THIS AGREEMENT dated the 5th day of May, 2012\n\nBETWEEN:\n\nMAPLECROFT ENERGY LTD., a corporation incorporated "
        "under the laws of the Province of Alberta (\"Maplecroft\")\n\n- and -\n\nTRENT VALLEY PIPE SERVICES INC., a "
        "corporation incorporated under the laws of Canada (\"Trent\")\n\n15. This Agreement shall be governed by the "
        "laws of the Province of Alberta and the federal laws of Canada applicable therein.\n",
        {"agreement": "2012-05-05", "effective": "2012-05-05", "law": "Province of Alberta",
         "parties": [("MAPLECROFT ENERGY LTD.", "Maplecroft"), ("TRENT VALLEY PIPE SERVICES INC.", "Trent")]},
    ),
    "effective_as_of_last_signature": (
        "MUTUAL SERVICES AGREEMENT\n\nThis Agreement is entered into by Ridgeway Telecom, Inc. (\"Ridgeway\") and "
        "Calder Voice Ltd. (\"Calder\") and is effective as of the date of the last signature below (the \"Effective "
        "Date\").\n\n5. Term. The term of this Agreement is two (2) years from the Effective Date.\n\nRIDGEWAY "
        "TELECOM, INC.\nBy: /s/ L. Marsh\nDate: 11/02/2020\n\nCALDER VOICE LTD.\nBy: /s/ P. Nair\nDate: 11/05/2020\n",
        {"agreement": "2020-11-05", "effective": "2020-11-05", "initial": (2.0, "year"), "expiration": "2022-11-05",
         "parties": [("Ridgeway Telecom, Inc.", "Ridgeway"), ("Calder Voice Ltd.", "Calder")]},
    ),
    "commencement_date_defined_in_term": (
        "This Outsourcing Agreement is made on 20 August 2011 between Lindqvist Bank AB (\"Bank\") and Harrow Process "
        "Services S.A. (\"Harrow\").\n\n4. Term\n\n4.1 The Services shall commence on October 1, 2011 (the "
        "\"Commencement Date\") and this Agreement shall remain in force for a period of five (5) years from the "
        "Commencement Date.\n\n25. This Agreement shall be governed by Swedish law.\n",
        {"agreement": "2011-08-20", "effective": "2011-10-01", "initial": (5.0, "year"), "expiration": "2016-10-01",
         "law": "Sweden", "parties": [("Lindqvist Bank AB", "Bank"), ("Harrow Process Services S.A.", "Harrow")]},
    ),
    "no_effective_date_no_law": (
        "LETTER AGREEMENT\n\nThis letter agreement is made on September 9, 2009 between Tamsin Gale (\"Advisor\") and "
        "Brookfield Orchards Inc. (\"Brookfield\").\n\n1. Advisor shall advise Brookfield on its packing operations.\n",
        {"agreement": "2009-09-09", "effective": "2009-09-09", "law": None, "renewal": None, "notice": None,
         "initial": None, "expiration": None},
    ),
    # -- text shapes ---------------------------------------------------------------------------
    "pdf_hard_wraps": (
        "RESELLER AGREEMENT\n\nThis Reseller Agreement (\"Agreement\") is made and entered into as of\nNovember 12, 2004, "
        "by and between Cobalt Switching\nSystems, Inc., a Delaware corporation (\"Cobalt\"), and Verity Network\n"
        "Partners, LLC, a Georgia limited liability company\n(\"Reseller\").\n\n7. TERM. This Agreement shall have an "
        "initial term of\ntwo (2) years commencing on the Effective Date. Thereafter, this Agreement\nshall "
        "automatically renew for successive one (1) year periods unless\neither party gives written notice of "
        "non-renewal at least ninety (90)\ndays prior to the end of the then-current term.\n\n18. GOVERNING LAW. This "
        "Agreement shall be governed by and construed\nin accordance with the laws of the State of Georgia, without "
        "regard\nto its conflicts of law principles.\n",
        {"agreement": "2004-11-12", "effective": "2004-11-12", "initial": (2.0, "year"), "expiration": "2006-11-12",
         "renewal": (1.0, "year"), "notice": 90, "law": "State of Georgia",
         "parties": [("Cobalt Switching Systems, Inc.", "Cobalt"), ("Verity Network Partners, LLC", "Reseller")]},
    ),
    "non_breaking_spaces": (
        f"SERVICES AGREEMENT\n\nThis Services Agreement is dated{NBSP}as{NBSP}of August{NBSP}4,{NBSP}2009 by and between "
        f"Pemberton{NBSP}Health{NBSP}Inc. (\"Pemberton\") and Kinsale Claims{NBSP}Services{NBSP}Ltd. (\"Kinsale\").\n\n"
        f"3.{NBSP}Term. This Agreement shall continue for a period of three{NBSP}(3){NBSP}years.\n\n"
        f"20.{NBSP}Governing{NBSP}Law. This Agreement shall be governed by the laws of the State{NBSP}of{NBSP}Ohio.\n",
        {"agreement": "2009-08-04", "effective": "2009-08-04", "initial": (3.0, "year"), "expiration": "2012-08-04",
         "law": "State of Ohio",
         "parties": [("Pemberton Health Inc.", "Pemberton"), ("Kinsale Claims Services Ltd.", "Kinsale")]},
    ),
    "all_caps_headings_and_body": (
        "EQUIPMENT LEASE AGREEMENT\n\nTHIS EQUIPMENT LEASE AGREEMENT IS MADE AND ENTERED INTO AS OF JUNE 30, 2006 BY AND "
        "BETWEEN GRANITE LEASING CORP. (\"LESSOR\") AND WESTFALL MINING CO. (\"LESSEE\").\n\nARTICLE 2\nTERM\n\nTHE "
        "TERM OF THIS LEASE SHALL BE SIXTY (60) MONTHS FROM THE DATE HEREOF.\n\nARTICLE 12\nGOVERNING LAW\n\nTHIS LEASE "
        "SHALL BE GOVERNED BY THE LAWS OF THE STATE OF NEVADA.\n",
        {"agreement": "2006-06-30", "effective": "2006-06-30", "initial": (60.0, "month"), "expiration": "2011-06-30",
         "law": "STATE OF NEVADA", "parties": [("GRANITE LEASING CORP.", "LESSOR"), ("WESTFALL MINING CO.", "LESSEE")]},
    ),
    "ocr_double_spaces": (
        "SUPPLY  AGREEMENT\n\nThis  Supply  Agreement  is  made  and  entered  into  as  of  May  1,  2003  by  and  "
        "between  Hartwell  Polymers,  Inc.  (\"Hartwell\")  and  Olsen  Packaging  Company  (\"Olsen\").\n\n"
        "2.  Term.  This  Agreement  shall  remain  in  effect  for  a  period  of  four  (4)  years  from  the  date  "
        "hereof.\n\n9.  This  Agreement  shall  be  governed  by  the  laws  of  the  State  of  Michigan.\n",
        {"agreement": "2003-05-01", "effective": "2003-05-01", "initial": (4.0, "year"), "expiration": "2007-05-01",
         "law": "State of Michigan",
         "parties": [("Hartwell Polymers, Inc.", "Hartwell"), ("Olsen Packaging Company", "Olsen")]},
    ),
    # -- parties ---------------------------------------------------------------------------------
    "dba_and_individual": (
        "INDEPENDENT CONTRACTOR AGREEMENT\n\nThis Independent Contractor Agreement is entered into on February 2, 2016 "
        "by and between Mercer Bay Properties, LLC, a Florida limited liability company with offices at 400 Harbor "
        "Drive, Tampa, Florida (\"Mercer\"), and Jonah Reyes d/b/a Reyes Landscape Design (\"Contractor\").\n",
        {"agreement": "2016-02-02",
         "parties": [("Mercer Bay Properties, LLC", "Mercer"), ("Jonah Reyes d/b/a Reyes Landscape Design", "Contractor")]},
    ),
    "single_quoted_hereinafter": (
        "This Agreement is made on 7 January 2018 between Alcott Media Ltd (hereinafter 'Company') and Brisk Field "
        "Marketing Inc. (hereinafter 'Contractor').\n\n6. This Agreement is subject to the laws of Ireland.\n",
        {"agreement": "2018-01-07", "law": "Ireland",
         "parties": [("Alcott Media Ltd", "Company"), ("Brisk Field Marketing Inc.", "Contractor")]},
    ),
    "among_three_parties": (
        "JOINT MARKETING AGREEMENT\n\nThis Joint Marketing Agreement is entered into as of October 18, 2013 among "
        "Quayside Travel Inc., a Nevada corporation (\"Quayside\"), Lindell Air Services, Inc., a Utah corporation "
        "(\"Lindell\"), and Ember Card Services LLC, a Delaware limited liability company (\"Ember\").\n",
        {"agreement": "2013-10-18",
         "parties": [("Quayside Travel Inc.", "Quayside"), ("Lindell Air Services, Inc.", "Lindell"),
                     ("Ember Card Services LLC", "Ember")]},
    ),
    "caps_block_and_on_its_own_line": (
        "TECHNOLOGY LICENSE AGREEMENT\n\nBETWEEN\n\nKESTREL MEDIA GROUP LLC\n\nAND\n\nPINE HOLLOW STUDIOS INC.\n\n"
        "This Technology License Agreement (the \"Agreement\") is entered into as of January 15, 2021 (the "
        "\"Effective Date\") by and between Kestrel Media Group LLC, a Delaware limited liability company "
        "(\"Kestrel\"), and Pine Hollow Studios Inc., an Oregon corporation (\"Pine Hollow\").\n",
        {"agreement": "2021-01-15", "effective": "2021-01-15",
         "parties": [("Kestrel Media Group LLC", "Kestrel"), ("Pine Hollow Studios Inc.", "Pine Hollow")]},
    ),
    "hereinafter_referred_to_as": (
        "THIS AGREEMENT is made and entered into this 1st day of April, 2008, by and between SUNDIAL SOLAR "
        "CORPORATION, a Colorado corporation, hereinafter referred to as \"Sundial\", and DELTA ROOF SYSTEMS, INC., a "
        "Kansas corporation, hereinafter referred to as \"Delta\".\n\nWITNESSETH:\n\nWHEREAS, Sundial makes solar "
        "panels.\n",
        {"agreement": "2008-04-01",
         "parties": [("SUNDIAL SOLAR CORPORATION", "Sundial"), ("DELTA ROOF SYSTEMS, INC.", "Delta")]},
    ),
    "employment_company_and_executive": (
        "EMPLOYMENT AGREEMENT\n\nThis Employment Agreement (\"Agreement\") is entered into as of September 1, 2017 "
        "(the \"Effective Date\") by and between Tolland Therapeutics, Inc., a Delaware corporation (the \"Company\"), "
        "and Dr. Priya Ramaswamy (the \"Executive\").\n\n2. Term of Employment. The term of employment shall commence "
        "on the Effective Date and continue until the third anniversary of the Effective Date.\n\n15. This Agreement "
        "shall be governed by the laws of the Commonwealth of Massachusetts.\n",
        {"agreement": "2017-09-01", "effective": "2017-09-01", "initial": (3.0, "year"), "expiration": "2020-09-01",
         "law": "Commonwealth of Massachusetts",
         "parties": [("Tolland Therapeutics, Inc.", "Company"), ("Dr. Priya Ramaswamy", "Executive")]},
    ),
    # -- term and renewal ----------------------------------------------------------------------
    "auto_renew_successive_one_year": (
        "HOSTING SERVICES AGREEMENT\n\nThis Hosting Services Agreement is made as of January 1, 2019 between Aldgate "
        "Retail Inc. (\"Customer\") and Nimbus Rack LLC (\"Nimbus\").\n\n10. Term and Renewal. The initial term of this "
        "Agreement is one (1) year. This Agreement shall automatically renew for successive one (1) year periods "
        "unless either party gives written notice at least ninety (90) days prior to the end of the then-current "
        "term.\n",
        {"agreement": "2019-01-01", "initial": (1.0, "year"), "expiration": "2020-01-01", "renewal": (1.0, "year"),
         "notice": 90},
    ),
    "auto_extended_twelve_months": (
        "This Agreement is entered into on 1 February 2012 between Falk Maschinen GmbH (\"Falk\") and Brightwater "
        "Parts Ltd (\"Brightwater\").\n\n11. Duration. This Agreement enters into force on the date of its signature "
        "and is concluded for an initial period of three (3) years. It shall be automatically extended for additional "
        "periods of twelve (12) months each, unless either party notifies the other in writing of its intention not "
        "to extend not later than sixty (60) days prior to its expiration.\n\n12. This Agreement shall be governed by "
        "the laws of the Federal Republic of Germany.\n",
        {"agreement": "2012-02-01", "initial": (3.0, "year"), "expiration": "2015-02-01", "renewal": (12.0, "month"),
         "notice": 60, "law": "Federal Republic of Germany"},
    ),
    "year_to_year_months_notice": (
        "THIS AGREEMENT is made the 2nd day of January, 1998 between Corliss Mills, Inc. (\"Corliss\") and Penrose "
        "Yarn Company (\"Penrose\").\n\n8. The term of this Agreement shall be two (2) years from the date hereof, and "
        "thereafter shall renew from year to year unless terminated by either party upon not less than six (6) "
        "months' written notice prior to the end of any such year.\n",
        {"agreement": "1998-01-02", "initial": (2.0, "year"), "expiration": "2000-01-02", "renewal": (1.0, "year"),
         "notice": 180},
    ),
    "renewal_by_mutual_agreement_no_notice": (
        "This Agreement is made as of June 1, 2020 between Ilford Schools District (\"District\") and Bramble "
        "Learning Inc. (\"Bramble\").\n\n4. Term. This Agreement shall be in effect for a period of one (1) year from "
        "the date hereof and may be renewed for an additional two (2) year term upon the mutual written agreement of "
        "the parties.\n",
        {"agreement": "2020-06-01", "initial": (1.0, "year"), "expiration": "2021-06-01", "renewal": (2.0, "year"),
         "notice": None},
    ),
    "month_to_month": (
        "SERVICE ORDER\n\nThis Service Order is dated as of May 10, 2022 between Orchard Lane Dental PLLC (\"Client\") "
        "and Tidewell Answering Services Inc. (\"Provider\").\n\n3. Term. This Service Order has an initial term of six "
        "(6) months and shall thereafter automatically renew on a month-to-month basis unless either party provides "
        "thirty (30) days' prior written notice of termination.\n",
        {"agreement": "2022-05-10", "initial": (6.0, "month"), "expiration": "2022-11-10", "renewal": (1.0, "month"),
         "notice": 30},
    ),
    "elect_not_to_renew": (
        "This Agreement is entered into as of April 4, 2016 between Harlow Pharmacy Group, Inc. (\"Harlow\") and "
        "Castellan Data Corp. (\"Castellan\").\n\n9.1 Initial Term. The initial term of this Agreement shall be five (5) "
        "years (the \"Initial Term\").\n\n9.2 Renewal. Upon expiration of the Initial Term, this Agreement shall "
        "renew automatically for additional terms of two (2) years each. Either party may elect not to renew this "
        "Agreement by giving the other party written notice no less than one hundred twenty (120) days before the "
        "expiration of the Initial Term or the then-current renewal term.\n",
        {"agreement": "2016-04-04", "initial": (5.0, "year"), "expiration": "2021-04-04", "renewal": (2.0, "year"),
         "notice": 120},
    ),
    "three_months_prior_to_end": (
        "This Agreement is dated as of October 1, 2007 between Pryor Freight Lines, Inc. (\"Pryor\") and Sable Fuel "
        "Cards LLC (\"Sable\").\n\n6. Term. This Agreement shall remain in effect for an initial term of three (3) years "
        "and shall be extended automatically for consecutive periods of one (1) year, unless terminated by either "
        "party by written notice given not less than three (3) months prior to the end of the then current term.\n",
        {"agreement": "2007-10-01", "initial": (3.0, "year"), "expiration": "2010-10-01", "renewal": (1.0, "year"),
         "notice": 90},
    ),
    "term_in_words_only": (
        "This Agreement is made on July 7, 2014 by and between Brecon Cabinets Inc. (\"Brecon\") and Holm Timber "
        "Products Ltd. (\"Holm\").\n\n2. TERM. The term of this Agreement shall be two years beginning on the date "
        "first written above.\n",
        {"agreement": "2014-07-07", "initial": (2.0, "year"), "expiration": "2016-07-07"},
    ),
    "expires_on_a_stated_date": (
        "This Agreement is dated as of February 14, 2005 between Larkspur Apparel Inc. (\"Larkspur\") and Ormond Knit "
        "Co. (\"Ormond\").\n\n5. Term. The initial term of this Agreement shall commence on the date hereof and expire "
        "on June 30, 2008. This Agreement may be renewed for successive one (1) year terms by written agreement of the "
        "parties.\n",
        {"agreement": "2005-02-14", "expiration": "2008-06-30", "renewal": (1.0, "year"), "notice": None},
    ),
    "notice_before_anniversary": (
        "This Agreement is made as of March 1, 2013 between Sorrel Health Plans Inc. (\"Plan\") and Vantage Call "
        "Centers, Inc. (\"Vantage\").\n\n7. Term. This Agreement shall continue for an initial term of three (3) "
        "years and shall automatically renew for successive terms of one (1) year each, unless either party provides "
        "written notice of its intent not to renew at least one hundred eighty (180) days before the anniversary "
        "date.\n",
        {"agreement": "2013-03-01", "initial": (3.0, "year"), "expiration": "2016-03-01", "renewal": (1.0, "year"),
         "notice": 180},
    ),
    "heading_duration_of_agreement": (
        "This Agreement is made as of November 3, 2001 between Wexley Foods plc (\"Wexley\") and Corran Vending Ltd "
        "(\"Corran\").\n\n3. DURATION OF AGREEMENT\n\n3.1 This Agreement shall come into force on the date hereof and "
        "shall continue in force for a period of seven (7) years, unless terminated earlier in accordance with "
        "clause 12.\n",
        {"agreement": "2001-11-03", "initial": (7.0, "year"), "expiration": "2008-11-03"},
    ),
    "indefinite_term": (
        "This Agreement is made as of March 3, 2003 between Linden Courier Inc. (\"Linden\") and Parcel Nine LLC "
        "(\"Parcel Nine\").\n\n5. Term. This Agreement shall commence on the date hereof and shall continue in effect "
        "until terminated by either party upon thirty (30) days' written notice.\n",
        {"agreement": "2003-03-03", "initial": None, "expiration": None, "renewal": None, "notice": None},
    ),
    # -- governing law ---------------------------------------------------------------------------
    "construed_under_commonwealth": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n21. Governing Law. This Agreement shall be construed under and governed by the laws of "
        "the Commonwealth of Virginia.\n",
        {"law": "Commonwealth of Virginia"},
    ),
    "internal_laws_of": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n21. Miscellaneous. (a) This Agreement shall be governed by and construed in accordance "
        "with the internal laws of the State of California, without giving effect to any choice of law rule.\n",
        {"law": "State of California"},
    ),
    "applicable_to_contracts_made": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n21. Applicable Law. This Agreement shall be governed by the laws of the State of New York "
        "applicable to contracts made and to be performed entirely within such State.\n",
        {"law": "State of New York"},
    ),
    "interpreted_according_to": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n21. CHOICE OF LAW. The validity, interpretation and performance of this Agreement shall "
        "be determined according to the laws of the State of Illinois.\n",
        {"law": "State of Illinois"},
    ),
    "law_after_jurisdiction_clause": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n20. Jurisdiction. Each party submits to the exclusive jurisdiction of the courts of "
        "Singapore.\n\n21. Governing Law. This Agreement is governed by the laws of the Republic of Singapore.\n",
        {"law": "Republic of Singapore"},
    ),
    "law_of_peoples_republic": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Shenzhen Lianhe "
        "Electronics Co., Ltd. (\"Lianhe\").\n\n21. The formation, validity, interpretation and performance of this "
        "Agreement shall be governed by the laws of the People's Republic of China.\n",
        {"law": "People's Republic of China"},
    ),
    "law_stated_in_caps_heading_and_body": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\nSECTION 21. GOVERNING LAW.\n\nTHIS AGREEMENT WILL BE GOVERNED BY AND CONSTRUED IN "
        "ACCORDANCE WITH THE LAWS OF THE STATE OF TEXAS, EXCLUDING ITS CONFLICT OF LAWS PRINCIPLES.\n",
        {"law": "STATE OF TEXAS"},
    ),
    "law_wrapped_across_lines": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n21. Governing Law. This Agreement shall be governed by, and\nconstrued in accordance "
        "with, the laws of the State of\nNew Jersey, without reference to its choice of law rules.\n",
        {"law": "State of New Jersey"},
    ),
    "law_of_canadian_province": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Maple Route Couriers "
        "Inc. (\"Maple Route\").\n\n21. This Agreement shall be governed by and interpreted in accordance with the laws "
        "of the Province of Ontario and the federal laws of Canada applicable therein.\n",
        {"law": "Province of Ontario"},
    ),
    "securities_law_is_not_the_governing_law": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n8. Compliance. Each party shall comply with the securities laws of the State of Texas "
        "and all other applicable laws.\n",
        {"law": None},
    ),
    # -- a second batch: wordings met less often ---------------------------------------------------
    "effective_date_of_this_agreement_is": (
        "SUPPORT AGREEMENT\n\nThis Support Agreement is dated January 20, 2009 between Thornbury Clinics Inc. "
        "(\"Clinic\") and Medlock Systems LLC (\"Medlock\").\n\n1.1 The effective date of this Agreement is March 1, "
        "2009.\n\n2. Term. This Agreement shall continue until February 28, 2011.\n",
        {"agreement": "2009-01-20", "effective": "2009-03-01", "expiration": "2011-02-28"},
    ),
    "made_and_effective_without_as_of": (
        "This Referral Agreement is made and effective January 1, 2020 by and between Saltmarsh Realty Group, Inc. "
        "(\"Saltmarsh\") and Corbel Mortgage Company (\"Corbel\").\n\n4. This Agreement shall remain in full force and "
        "effect until December 31, 2021.\n",
        {"agreement": "2020-01-01", "effective": "2020-01-01", "expiration": "2021-12-31",
         "parties": [("Saltmarsh Realty Group, Inc.", "Saltmarsh"), ("Corbel Mortgage Company", "Corbel")]},
    ),
    "blank_day_in_template": (
        "THIS AGREEMENT is entered into this ____ day of August, 2019 by and between Glenrock Water Authority "
        "(\"Authority\") and Pell Meter Services, Inc. (\"Contractor\").\n",
        {"agreement": "", "parties": [("Glenrock Water Authority", "Authority"), ("Pell Meter Services, Inc.", "Contractor")]},
    ),
    "party_a_party_b_labels": (
        "PURCHASE AGREEMENT\n\nParty A: Ningbo Harbourlight Trading Co., Ltd.\nAddress: 88 Zhongshan Road, Ningbo\n\n"
        "Party B: Westmere Home Goods Inc.\nAddress: 1200 Commerce Way, Portland, Oregon\n\nParty A and Party B agree as "
        "follows:\n\n1. Party A shall supply the goods listed in Annex 1.\n",
        {"parties": [("Ningbo Harbourlight Trading Co., Ltd.", "Party A"), ("Westmere Home Goods Inc.", "Party B")]},
    ),
    "inline_and_colon_between_parties": (
        "MAINTENANCE AGREEMENT\n\nBETWEEN: CRESTLINE HOTELS PLC, having its principal place of business at 20 Strand, "
        "London (hereinafter called the \"Customer\") AND: ORBIT LIFT ENGINEERING LIMITED, having its principal place of "
        "business at 3 Canal Street, Manchester (hereinafter called the \"Contractor\").\n\nThis Agreement is made on "
        "15 July 2015.\n",
        {"agreement": "2015-07-15",
         "parties": [("CRESTLINE HOTELS PLC", "Customer"), ("ORBIT LIFT ENGINEERING LIMITED", "Contractor")]},
    ),
    "consecutive_twelve_month_renewal": (
        "This Agreement is made as of August 8, 2018 between Harwick Insurance Company (\"Harwick\") and Loom Claims "
        "Processing LLC (\"Loom\").\n\n12. Term. The initial term of this Agreement is eighteen (18) months. This "
        "Agreement shall thereafter be renewed for consecutive twelve (12) month periods unless either party notifies "
        "the other in writing at least forty-five (45) days before the expiration of the then current term of its "
        "intention not to renew.\n",
        {"agreement": "2018-08-08", "initial": (18.0, "month"), "expiration": "2020-02-08", "renewal": (12.0, "month"),
         "notice": 45},
    ),
    "terminate_at_end_of_term_by_notice": (
        "This Agreement is made as of April 1, 2011 between Ossory Brewing Co. (\"Ossory\") and Lantern Distribution "
        "Inc. (\"Lantern\").\n\n9.1 This Agreement shall commence on the date hereof and continue for an initial term of "
        "two (2) years, and thereafter shall be automatically renewed for successive renewal terms of one (1) year "
        "each.\n\n9.2 Either party may terminate this Agreement at the end of the initial term or any renewal term by "
        "giving the other party at least sixty (60) days' written notice.\n",
        {"agreement": "2011-04-01", "initial": (2.0, "year"), "expiration": "2013-04-01", "renewal": (1.0, "year"),
         "notice": 60},
    ),
    "period_from_to": (
        "This Agreement is made on 2 March 2005 between Dunmore Council (\"Council\") and Greyfield Waste Services "
        "Ltd (\"Contractor\").\n\n3. PERIOD OF AGREEMENT\n\n3.1 This Agreement shall be in effect for the period from "
        "1 April 2005 to 31 March 2008.\n",
        {"agreement": "2005-03-02", "expiration": "2008-03-31"},
    ),
    "term_that_is_years_thereafter": (
        "This Agreement is entered into as of June 15, 2016 between Kilbride Robotics Inc. (\"Kilbride\") and Axon "
        "Assembly Corp. (\"Axon\").\n\n10.1 Term. Subject to Section 10.2, the term of this Agreement shall commence on "
        "the date hereof and expire on the date that is three (3) years thereafter.\n",
        {"agreement": "2016-06-15", "initial": (3.0, "year"), "expiration": "2019-06-15"},
    ),
    "renewed_annually": (
        "This Agreement is dated as of September 1, 2010 between Pinecrest Academy (\"School\") and Larchmont Food "
        "Service, Inc. (\"Larchmont\").\n\n5. Term. This Agreement is for one (1) year and shall be renewed annually "
        "thereafter unless terminated by either party giving the other not less than ninety (90) days' written notice "
        "prior to the end of the then current year.\n",
        {"agreement": "2010-09-01", "initial": (1.0, "year"), "expiration": "2011-09-01", "renewal": (1.0, "year"),
         "notice": 90},
    ),
    "law_reversed_shall_govern": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n21. Governing Law and Venue. The laws of the State of Colorado shall govern this "
        "Agreement, and venue shall lie in Denver County.\n",
        {"law": "State of Colorado"},
    ),
    "law_label_line": (
        "ORDER FORM\n\nCustomer: Brackett Dental Group LLC\nProvider: Wyvern Scheduling Inc.\nOrder Date: 02/11/2022\n"
        "Applicable Law: State of Washington\nSubscription Term: 12 months\n",
        {"law": "State of Washington",
         "parties": [("Brackett Dental Group LLC", "Customer"), ("Wyvern Scheduling Inc.", "Provider")]},
    ),
    "law_english_law_with_courts": (
        "This Agreement is made on 4 May 2017 between Fenwright Insurance plc (\"Fenwright\") and Quorum Contact "
        "Centres Ltd (\"Quorum\").\n\n25. This Agreement and any non-contractual obligations arising out of or in "
        "connection with it shall be governed by English law, and the courts of England shall have exclusive "
        "jurisdiction.\n",
        {"agreement": "2017-05-04", "law": "England and Wales"},
    ),
    "defined_term_before_description": (
        "This Services Agreement is entered into as of February 27, 2002 by and between Lowell Data, Inc. (\"Lowell\"), "
        "a Massachusetts corporation, and Tessaract Partners LLP (\"Tessaract\"), a Delaware limited liability "
        "partnership.\n",
        {"agreement": "2002-02-27",
         "parties": [("Lowell Data, Inc.", "Lowell"), ("Tessaract Partners LLP", "Tessaract")]},
    ),
    "no_renewal_in_a_fixed_term": (
        "This Agreement is made as of July 9, 2012 between Ashdown Foods Inc. (\"Ashdown\") and Pereira Farms LLC "
        "(\"Pereira\").\n\n6. Term. This Agreement shall have a term of 3 years from the date hereof. Any extension of "
        "this Agreement shall be in writing signed by both parties.\n",
        {"agreement": "2012-07-09", "initial": (3.0, "year"), "expiration": "2015-07-09", "renewal": None,
         "notice": None},
    ),
    # -- a third batch: dates in other places, terms that start on an event, more renewals ---------
    "dated_as_of_label_under_title": (
        "AMENDED AND RESTATED SERVICES AGREEMENT\n\nDated as of: October 1, 2003\n\nThis Agreement is between Rowan "
        "Energy Partners, L.P. (\"Rowan\") and Kettle Field Services, Inc. (\"Kettle\").\n",
        {"agreement": "2003-10-01", "effective": "2003-10-01",
         "parties": [("Rowan Energy Partners, L.P.", "Rowan"), ("Kettle Field Services, Inc.", "Kettle")]},
    ),
    "testimonium_executed_on_the_day": (
        "TRANSPORTATION AGREEMENT\n\nThis Transportation Agreement is between Coldbrook Dairy Cooperative "
        "(\"Shipper\") and Midland Reefer Lines, Inc. (\"Carrier\").\n\n1. Carrier shall transport Shipper's products.\n\n"
        "IN WITNESS WHEREOF, the parties have caused this Agreement to be executed on the 12th day of December, 1996.\n\n"
        "COLDBROOK DAIRY COOPERATIVE\nBy: /s/ R. Ames\n",
        {"agreement": "1996-12-12", "effective": "1996-12-12"},
    ),
    "effective_when_signed_by_both": (
        "COLLABORATION AGREEMENT\n\nThis Collaboration Agreement is made between Ostrander Biologics Inc. "
        "(\"Ostrander\") and Veldt University (\"University\").\n\n2. This Agreement shall be effective as of the date "
        "on which it has been signed by both Parties and shall remain in force for three (3) years.\n\nOSTRANDER "
        "BIOLOGICS INC.   By: /s/ H. Lund   Date: 6/1/2015\n\nVELDT UNIVERSITY   By: /s/ M. Otieno   Date: 6/12/2015\n",
        {"agreement": "2015-06-12", "effective": "2015-06-12", "initial": (3.0, "year"), "expiration": "2018-06-12"},
    ),
    "take_effect_on": (
        "This Agreement is made on 30 November 2012 between Larne Shipping Ltd (\"Larne\") and Eskdale Port Services "
        "Ltd (\"Eskdale\").\n\n2. This Agreement shall take effect on 1 January 2013 and shall continue for a period of "
        "four (4) years.\n",
        {"agreement": "2012-11-30", "effective": "2013-01-01", "initial": (4.0, "year"), "expiration": "2017-01-01"},
    ),
    "term_from_an_event_has_no_computed_end": (
        "This Supply Agreement is made as of March 2, 2009 between Ferrand Optics Inc. (\"Ferrand\") and Kell Lens "
        "Works Ltd. (\"Kell\").\n\n15. Term. This Agreement shall remain in force for an initial period of ten (10) "
        "years from the date of first commercial sale of a Product.\n",
        {"agreement": "2009-03-02", "initial": (10.0, "year"), "expiration": None},
    ),
    "expire_on_fifth_anniversary": (
        "This Agreement is dated as of January 9, 2014 between Tarrant Solar LLC (\"Tarrant\") and Brisa Panel "
        "Installers Inc. (\"Brisa\").\n\n7. This Agreement shall expire on the fifth (5th) anniversary of the date "
        "hereof, unless sooner terminated.\n",
        {"agreement": "2014-01-09", "initial": (5.0, "year"), "expiration": "2019-01-09"},
    ),
    "prevent_renewal_in_next_sentence": (
        "This Agreement is made as of May 20, 2019 between Caldwell Pet Stores Inc. (\"Caldwell\") and Fetch Loyalty "
        "LLC (\"Fetch\").\n\n11. Term. This Agreement has an initial term of two (2) years. It shall automatically "
        "renew for successive one-year terms. Either party may prevent such renewal by giving written notice to the "
        "other party no later than sixty (60) days before the end of the then-current term.\n",
        {"agreement": "2019-05-20", "initial": (2.0, "year"), "expiration": "2021-05-20", "renewal": (1.0, "year"),
         "notice": 60},
    ),
    "notice_before_commencement_of_renewal": (
        "This Agreement is made as of June 1, 2021 between Merrow Clinics PLLC (\"Merrow\") and Arbor Billing Inc. "
        "(\"Arbor\").\n\n3. Term. The initial term is one (1) year. This Agreement will renew for additional one (1) "
        "year periods unless either party provides the other with written notice of termination at least thirty (30) "
        "days prior to the commencement of a renewal term.\n",
        {"agreement": "2021-06-01", "initial": (1.0, "year"), "expiration": "2022-06-01", "renewal": (1.0, "year"),
         "notice": 30},
    ),
    "twelve_months_notice_three_year_renewals": (
        "This Agreement is made as of February 1, 2000 between Hadley Steel Corp. (\"Hadley\") and Orrin Rail "
        "Services, Inc. (\"Orrin\").\n\n4.1 The initial term of this Agreement shall be ten (10) years. This Agreement "
        "shall thereafter renew for additional three (3) year periods unless either Party delivers written notice of "
        "non-renewal to the other Party at least twelve (12) months before the expiration of the then-current term.\n",
        {"agreement": "2000-02-01", "initial": (10.0, "year"), "expiration": "2010-02-01", "renewal": (3.0, "year"),
         "notice": 360},
    ),
    "law_with_country_suffix": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n21. This Agreement shall be governed by the laws of the State of Delaware, U.S.A., "
        "excluding its conflict of laws provisions.\n",
        {"law": "State of Delaware"},
    ),
    "law_of_the_netherlands": (
        "This Agreement is made on 5 May 2005 between Hollis Freight Inc. (\"Hollis\") and Dijkstra Logistiek B.V. "
        "(\"Dijkstra\").\n\n21. This contract is governed by the laws of the Netherlands.\n",
        {"law": "Netherlands", "parties": [("Hollis Freight Inc.", "Hollis"), ("Dijkstra Logistiek B.V.", "Dijkstra")]},
    ),
    "parties_without_defined_terms": (
        "AGREEMENT\n\nThis Agreement is made as of April 2, 2001 between Marlow Printing Inc. and Sefton Paper "
        "Mills, LLC.\n\n1. Supply. Sefton Paper Mills, LLC shall supply paper.\n",
        {"agreement": "2001-04-02", "parties": [("Marlow Printing Inc.", None), ("Sefton Paper Mills, LLC", None)]},
    ),
    "among_with_subsidiary_description": (
        "This Agreement is entered into as of March 30, 2018 by and among Foxley Holdings, Inc., a Delaware "
        "corporation (\"Parent\"), Foxley Services, Inc., a Delaware corporation and a wholly owned subsidiary of "
        "Parent (\"Services\"), and Brannock Corp., a Texas corporation (\"Brannock\").\n",
        {"agreement": "2018-03-30",
         "parties": [("Foxley Holdings, Inc.", "Parent"), ("Foxley Services, Inc.", "Services"), ("Brannock Corp.", "Brannock")]},
    ),
    "university_regents": (
        "LICENSE AGREEMENT\n\nThis Agreement is made and entered into this 15th day of May, 2006 by and between THE "
        "REGENTS OF THE UNIVERSITY OF WESTLAND, a public corporation (\"University\"), and Cantor Genomics, Inc., a "
        "Delaware corporation (\"Licensee\").\n",
        {"agreement": "2006-05-15",
         # the leading article is dropped, as for any party; the name is otherwise as written
         "parties": [("REGENTS OF THE UNIVERSITY OF WESTLAND", "University"), ("Cantor Genomics, Inc.", "Licensee")]},
    ),
    "hereby_agree_opening": (
        "HAWTHORN SYSTEMS, INC. (\"Hawthorn\") and QUILLER MEDIA LLC (\"Quiller\") hereby agree as follows, effective "
        "as of July 1, 2010:\n\n1. Hawthorn shall license the software to Quiller.\n",
        {"effective": "2010-07-01", "parties": [("HAWTHORN SYSTEMS, INC.", "Hawthorn"), ("QUILLER MEDIA LLC", "Quiller")]},
    ),
    "law_named_before_shall_govern": (
        "This Agreement is made as of May 5, 2005 between Hollis Freight Inc. (\"Hollis\") and Druid Hill Software "
        "Inc. (\"Druid\").\n\n21. The parties agree that Pennsylvania law shall govern this Agreement.\n",
        {"law": "Pennsylvania"},
    ),
    "ocr_split_ordinal": (
        "THIS AGREEMENT is made this 1 st day of June, 2004 by and between Glaston Minerals Inc. (\"Glaston\") and "
        "Rook Assay Labs LLC (\"Rook\").\n",
        {"agreement": "2004-06-01", "parties": [("Glaston Minerals Inc.", "Glaston"), ("Rook Assay Labs LLC", "Rook")]},
    ),
    "anniversary_of_an_event_has_no_computed_end": (
        "This Agreement is made as of August 1, 2016 between Perrin Apps Inc. (\"Perrin\") and Solent Mobile Ltd "
        "(\"Solent\").\n\n8. Term. The Initial Term shall expire on the third (3rd) anniversary of the Launch Date.\n",
        {"agreement": "2016-08-01", "initial": (3.0, "year"), "expiration": None},
    ),
    "on_the_one_hand_on_the_other": (
        "This Agreement is entered into as of January 4, 2007 by and between Gristmill Bakeries, Inc. (\"Gristmill\"), "
        "on the one hand, and Tolland Flour Co. and Tolland Grain LLC (together, \"Tolland\"), on the other hand.\n",
        # two companies under one defined term are two parties
        {"agreement": "2007-01-04", "parties": [("Gristmill Bakeries, Inc.", "Gristmill"), ("Tolland Flour Co.", None),
                                                 ("Tolland Grain LLC", "Tolland")]},
    ),
}
